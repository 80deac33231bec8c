// What a person typed in a form is never lost to a link, on every page (loaded by base.html).
// The language switch is a link that reloads the page: pressed while a form holds typed values,
// it carries them (in this tab's sessionStorage, for the next page only, read and removed at
// once) and the page in the other language puts them back: what was changed since the page was
// shown, or all of a form shown again with its errors (never saved). Any other link that
// leaves a page whose form was changed asks first, unless it says that it discards the
// changes ([data-discards]: "Back without saving"). Forms that post without reloading the
// page (the check-in desk) opt out with data-keep-typed="off". The registration form needs none
// of this for its language switch (buttons that send it, see base.html); without this script
// every link works as a plain link.
(function () {
  "use strict";

  var KEY = "rencontres.typed";
  var FRESH_MS = 5 * 60 * 1000;
  var script = document.currentScript;
  var leaveMessage = script && script.getAttribute("data-leave-message");
  var SKIPPED = { hidden: true, password: true, file: true, submit: true, button: true,
    reset: true, image: true };

  // The same page in every language: /fr/register/ and /en/register/ are one page.
  function withoutLanguage(path) {
    return (path || "").replace(/^\/[a-z]{2}(?=\/)/, "");
  }

  function watchedForms() {
    return Array.prototype.filter.call(document.forms, function (form) {
      return (form.getAttribute("method") || "get").toLowerCase() === "post" &&
        form.getAttribute("data-keep-typed") !== "off";
    });
  }

  function formKey(form, index) {
    return form.id || withoutLanguage(form.getAttribute("action") || "") + "#" + index;
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.name && !element.disabled && !SKIPPED[element.type] &&
        /^(INPUT|SELECT|TEXTAREA)$/.test(element.tagName);
    });
  }

  // name -> values, in the order of the page; empty values are left out, so that rows added
  // empty by a script do not count as typed.
  function state(form) {
    var values = {};
    fields(form).forEach(function (element) {
      var taken = [];
      if (element.type === "checkbox" || element.type === "radio") {
        if (element.checked) taken = [element.value];
      } else if (element.tagName === "SELECT") {
        taken = Array.prototype.filter.call(element.options, function (option) {
          return option.selected;
        }).map(function (option) { return option.value; });
      } else {
        taken = [element.value];
      }
      taken.forEach(function (value) {
        (values[element.name] = values[element.name] || []).push(value);
      });
    });
    Object.keys(values).forEach(function (name) {
      if (values[name].every(function (value) { return value === ""; })) delete values[name];
    });
    return values;
  }

  var loaded = {};

  function snapshot() {
    watchedForms().forEach(function (form, index) {
      loaded[formKey(form, index)] = JSON.stringify(state(form));
    });
  }

  // The forms changed since the page was shown; with `refusedToo`, also those shown again
  // with their errors (what they hold was typed, never saved).
  function typed(refusedToo) {
    var forms = {};
    watchedForms().forEach(function (form, index) {
      var key = formKey(form, index);
      var now = state(form);
      var refused = refusedToo && Object.keys(now).length &&
        (form.querySelector(".field--error, .errorlist") || document.getElementById("error-summary"));
      if (refused || JSON.stringify(now) !== (loaded[key] || "{}")) forms[key] = now;
    });
    return Object.keys(forms).length ? forms : null;
  }

  function restore(form, values) {
    var seen = {};
    fields(form).forEach(function (element) {
      var wanted = values[element.name] || [];
      var changed = false;
      if (element.type === "checkbox" || element.type === "radio") {
        var checked = wanted.indexOf(element.value) !== -1;
        changed = element.checked !== checked;
        element.checked = checked;
      } else if (element.tagName === "SELECT") {
        Array.prototype.forEach.call(element.options, function (option) {
          var selected = wanted.indexOf(option.value) !== -1;
          changed = changed || option.selected !== selected;
          option.selected = selected;
        });
      } else {
        var nth = seen[element.name] = (seen[element.name] || 0) + 1;
        var value = wanted[nth - 1] === undefined ? "" : wanted[nth - 1];
        changed = element.value !== value;
        element.value = value;
      }
      if (changed) {  // widgets built on the field (the country picker) follow it
        element.dispatchEvent(new Event("input", { bubbles: true }));
        element.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  function bringBack() {
    var saved = null;
    try {
      saved = JSON.parse(window.sessionStorage.getItem(KEY) || "null");
      window.sessionStorage.removeItem(KEY);
    } catch (error) {
      return;
    }
    if (!saved || saved.page !== withoutLanguage(location.pathname) + location.search ||
        !(Date.now() - saved.at < FRESH_MS)) return;
    watchedForms().forEach(function (form, index) {
      var values = saved.forms[formKey(form, index)];
      if (values) restore(form, values);
    });
  }

  function carry(forms) {
    try {
      window.sessionStorage.setItem(KEY, JSON.stringify({
        page: withoutLanguage(location.pathname) + location.search,
        at: Date.now(),
        forms: forms,
      }));
      return true;
    } catch (error) {
      return false;
    }
  }

  function leavesThePage(link, event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey) return false;
    if (link.hasAttribute("download") || (link.target && link.target !== "_self")) return false;
    var url = new URL(link.href, location.href);
    if (url.protocol !== "http:" && url.protocol !== "https:") return false;  // mailto:, tel:
    return !(url.origin === location.origin && url.pathname === location.pathname &&
      url.search === location.search && url.hash);  // an anchor in this page
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || !leavesThePage(link, event)) return;
    if (link.hasAttribute("data-discards")) return;
    if (link.closest(".language-switch")) {
      var forms = typed(true);
      if (!forms || carry(forms)) return;
    }
    // Asked only for what was changed here: a form refused and left as it came back is not
    // worth a question (the person saw it).
    if (typed(false) && leaveMessage && !window.confirm(leaveMessage)) event.preventDefault();
  });

  function start() {
    snapshot();
    bringBack();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
