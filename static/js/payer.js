// "Who pays": the fieldset shows for the categories that pay, and within it the fields each
// kind of payer and each country needs (a SIRET in France, a VAT number abroad). Where this
// script does not run, every field shows with a word on whom it is for, and the server
// checks only what applies.
(function () {
  "use strict";
  var box = document.querySelector("[data-payer]");
  if (!box) return;
  var form = box.closest("form");
  var category = form.querySelector('[name="category"]');
  var invoiced = (box.getAttribute("data-invoiced-categories") || "").split(" ");
  var note = box.querySelector("[data-payer-note]");

  function value(name) {
    var field = form.querySelector('[name="' + name + '"]');
    if (!field) return "";
    if (field.type === "radio") {
      var checked = form.querySelector('[name="' + name + '"]:checked');
      return checked ? checked.value : "";
    }
    return field.value;
  }

  function update() {
    if (category) {
      box.hidden = invoiced.indexOf(category.value) === -1;
      if (note) note.hidden = true;
    }
    var prefix = box.querySelector('[name$="kind"]').name.replace(/kind$/, "");
    var kind = value(prefix + "kind");
    var own = kind === "own_organisation";
    var country = own ? value("organisation_country") : value(prefix + "country");
    if (own && !form.querySelector('[name="organisation_country"]')) {
      country = box.getAttribute("data-own-country") || "";
    }
    box.querySelectorAll("[data-payer-for]").forEach(function (part) {
      part.hidden = part.getAttribute("data-payer-for").split(" ").indexOf(kind) === -1;
    });
    box.querySelectorAll("[data-payer-in]").forEach(function (part) {
      var place = part.getAttribute("data-payer-in");
      var shown = !country || (place === "FR" ? country === "FR" : country !== "FR");
      if (!shown) part.hidden = true;
    });
  }

  form.addEventListener("change", update);
  update();
})();
