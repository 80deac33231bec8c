// A "Back to your form" button on the 503 page: the browser's back button, for those who look
// for one on the page (no inline script, so the page works under a strict CSP).
document.querySelectorAll("[data-history-back]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.history.back(); });
});
