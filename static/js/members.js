// Delegation form: "Add a member" adds an empty row here, without sending the form. Where this
// script does not run, the same button sends the form back with more rows, all typed kept.
(function () {
  "use strict";
  var button = document.querySelector("[data-add-member]");
  var template = document.getElementById("member-template");
  var rows = document.getElementById("member-rows");
  if (!button || !template || !rows) return;
  var form = button.form;
  var total = form.querySelector('input[name="members-TOTAL_FORMS"]');
  var most = parseInt(form.querySelector('input[name="members-MAX_NUM_FORMS"]').value, 10);
  // A plain button: Enter in a field sends the form rather than adding a row.
  button.type = "button";
  button.addEventListener("click", function () {
    var count = parseInt(total.value, 10);
    if (count >= most) return;
    var html = template.innerHTML
      .replace(/__prefix__/g, String(count))
      .replace(/__number__/g, String(count + 1));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(count + 1);
    var first = rows.lastElementChild.querySelector("input, select");
    if (first) first.focus();
    if (count + 1 >= most) button.hidden = true;
  });
})();
