/* Comfort only: every page works without this file. */
document.addEventListener("submit", function (event) {
  var button = event.submitter || event.target.querySelector("[data-confirm]");
  var message = button && button.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

/* A form in error: its summary; a message after an action: the message (the `autofocus` of
   partials/flashes.html does it too, in browsers that honour it on any element). */
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  var messages = document.getElementById("messages");
  if (summary) {
    summary.focus();
  } else if (messages && messages.querySelector(".flash") && document.activeElement !== messages) {
    messages.focus();
  }
});
