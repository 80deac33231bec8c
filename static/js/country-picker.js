// Country fields (rencontres/countries.py): a search box that filters the list of countries.
// Several countries: a list of check boxes; the search hides the others, the ticked ones stay
// listed above ("Chosen: ..."). One country: a <select>; the search keeps only the options
// that match (removed, not hidden: phones show hidden options anyway). Names are matched in
// both languages and by code, without accents or case. Without this script both fields work
// as they are, only without the search.
(function () {
  "use strict";

  function simplified(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function announce(box, count) {
    var status = box.querySelector(".country-picker__status");
    if (!status) return;
    status.textContent = count === 0
      ? status.getAttribute("data-none")
      : status.getAttribute("data-some").replace("%(count)s", count);
  }

  function matches(element, words) {
    var text = element.getAttribute("data-search") || "";
    return words.every(function (word) { return text.indexOf(word) !== -1; });
  }

  function wordsOf(input) {
    return simplified(input.value).split(/\s+/).filter(Boolean);
  }

  function showSearch(box) {
    var search = box.querySelector(".country-picker__search");
    search.hidden = false;
    return search.querySelector("input");
  }

  function setUpPicker(box) {
    var input = showSearch(box);
    var items = Array.prototype.slice.call(box.querySelectorAll(".country-picker__list li"));
    var chosen = box.querySelector(".country-picker__chosen");

    function showChosen() {
      var names = items
        .filter(function (item) { return item.querySelector("input").checked; })
        .map(function (item) { return item.textContent.trim(); });
      chosen.hidden = names.length === 0;
      chosen.textContent = names.length ? chosen.getAttribute("data-label") + " " + names.join(", ") : "";
    }

    input.addEventListener("input", function () {
      var words = wordsOf(input);
      var shown = 0;
      items.forEach(function (item) {
        var visible = words.length === 0 || matches(item, words);
        item.hidden = !visible;
        if (visible) shown += 1;
      });
      announce(box, shown);
    });
    // Enter in the search box ticks the only country left, instead of sending the form.
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      var left = items.filter(function (item) { return !item.hidden; });
      if (left.length === 1) {
        var box = left[0].querySelector("input");
        box.checked = !box.checked;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    box.addEventListener("change", showChosen);
    showChosen();
  }

  function setUpSelect(box) {
    var input = showSearch(box);
    var select = box.querySelector("select");
    var options = Array.prototype.slice.call(select.options);

    input.addEventListener("input", function () {
      var words = wordsOf(input);
      var current = select.value;
      var kept = options.filter(function (option) {
        return option.value === "" || option.value === current || words.length === 0 ||
          matches(option, words);
      });
      select.replaceChildren.apply(select, kept);
      select.value = current;
      var matched = words.length ? options.filter(function (option) {
        return option.value !== "" && matches(option, words);
      }) : [];
      // The only country that matches is chosen at once: the person typed its name.
      if (matched.length === 1 && select.value !== matched[0].value) {
        select.value = matched[0].value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      announce(box, words.length ? matched.length : options.length - 1);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        select.focus();
      }
    });
  }

  function start() {
    document.querySelectorAll("[data-country-picker]").forEach(setUpPicker);
    document.querySelectorAll("[data-country-select]").forEach(setUpSelect);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
