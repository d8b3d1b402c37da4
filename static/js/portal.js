/* Comfort only: every page works without this file. */
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
  /* Wide screens show the header's menu through ::details-content; where a browser cannot,
     open the <details> so the links stay in view. */
  var menu = document.getElementById("site-menu");
  var wide = window.matchMedia("(min-width: 60.001rem)");
  var styled = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  if (menu && !styled && wide.matches) {
    menu.open = true;
  }
  /* "Show the password": reveal the checkbox, switch the field's type, hide it again on submit. */
  Array.prototype.forEach.call(document.querySelectorAll("[data-show-password]"), function (box) {
    var input = document.getElementById(box.getAttribute("data-show-password"));
    if (!input) { return; }
    box.closest(".show-password").hidden = false;
    box.addEventListener("change", function () {
      input.type = box.checked ? "text" : "password";
    });
    if (input.form) {
      input.form.addEventListener("submit", function () { input.type = "password"; });
    }
  });
});

/* Escape closes the phone menu and gives focus back to its button. */
document.addEventListener("keydown", function (event) {
  var menu = document.getElementById("site-menu");
  var button = menu && menu.querySelector("summary");
  if (event.key === "Escape" && menu.open && menu.contains(event.target) && button.offsetParent) {
    menu.open = false;
    button.focus();
  }
});
