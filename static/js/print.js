// A "Print" button for printable pages (no inline script, so the page works under a strict CSP).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
