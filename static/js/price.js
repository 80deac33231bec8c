// Registration form: the price that applies, kept up to date as the person fills the form in.
// The server prices what is typed (one rule, rencontres/fees/pricing.py) and sends the box's
// HTML, written as the page writes it; where this script does not run, the price shows when
// the form comes back and on the next page.
(function () {
  "use strict";
  var box = document.querySelector("[data-price-url]");
  if (!box || !window.fetch || !window.URLSearchParams) return;
  var body = box.querySelector("[data-price-body]");
  var form = box.closest("form");
  var url = box.getAttribute("data-price-url");
  var names = ["category", "organisation_name", "organisation_identifier", "days", "extras"];
  var asked = 0;
  var timer = null;

  function query() {
    var params = new URLSearchParams();
    names.forEach(function (name) {
      form.querySelectorAll('[name="' + name + '"]').forEach(function (field) {
        if ((field.type === "checkbox" || field.type === "radio") && !field.checked) return;
        params.append(name, field.value);
      });
    });
    return params.toString();
  }

  function update() {
    var number = ++asked;
    fetch(url + "?" + query(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (answer) {
        // An older answer arriving after a newer one is dropped.
        if (number === asked) body.innerHTML = answer.html;
      })
      .catch(function () {
        // The network dropped: the price shown stays, and the next change asks again.
      });
  }

  function soon(event) {
    if (names.indexOf(event.target.name) === -1) return;
    clearTimeout(timer);
    timer = setTimeout(update, event.type === "input" ? 300 : 0);
  }

  form.addEventListener("change", soon);
  form.addEventListener("input", soon);
  update();
})();
