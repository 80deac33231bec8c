// The back-office menu scrolls sideways on a phone: bring the current page's entry into view.
(function () {
  "use strict";
  var current = document.querySelector(".shell-menu a[aria-current]");
  var list = current && current.closest("ul");
  if (list && list.scrollWidth > list.clientWidth) {
    list.scrollLeft = current.offsetLeft - (list.clientWidth - current.offsetWidth) / 2;
  }
})();
