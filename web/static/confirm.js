// Forms with data-confirm ask before they submit. A file, not an inline
// onsubmit handler, so the Content-Security-Policy can forbid inline script.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
