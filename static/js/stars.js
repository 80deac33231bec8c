// Starred sessions on the programme: a toggle on each session, the stars kept in this browser
// (localStorage, no account), and the feed link carrying their ids (?s=12,15,18) so that a
// calendar app can subscribe to them. Without scripts the page shows no stars at all.
(function () {
  "use strict";
  var box = document.querySelector("[data-stars]");
  if (!box) return;
  var key = "rencontres:starred:" + box.dataset.edition;
  var link = box.querySelector("[data-starred-link]");
  var feed = link.getAttribute("href");
  var starred = [];

  try {
    var kept = JSON.parse(window.localStorage.getItem(key) || "[]");
    if (Array.isArray(kept)) starred = kept.filter(function (id) { return Number.isInteger(id) && id > 0; });
  } catch (error) {
    starred = [];  // storage refused (private mode) or damaged: start afresh
  }

  function save() {
    try { window.localStorage.setItem(key, JSON.stringify(starred)); } catch (error) { /* kept for this page only */ }
  }

  function update() {
    var ids = starred.slice().sort(function (a, b) { return a - b; });
    link.hidden = ids.length === 0;
    link.setAttribute("href", feed + "?s=" + ids.join(","));
  }

  document.querySelectorAll("article.session[data-session]").forEach(function (card) {
    var id = Number(card.dataset.session);
    var title = card.querySelector(".session__title");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "star";
    button.textContent = box.dataset.label;
    if (title && title.id) button.setAttribute("aria-describedby", title.id);
    button.setAttribute("aria-pressed", String(starred.indexOf(id) !== -1));
    button.addEventListener("click", function () {
      var at = starred.indexOf(id);
      if (at === -1) starred.push(id); else starred.splice(at, 1);
      button.setAttribute("aria-pressed", String(at === -1));
      save();
      update();
    });
    card.append(button);
  });
  box.hidden = false;
  update();
})();
