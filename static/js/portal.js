/* Comfort only: every page works without this file. */
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
  /* Wide screens show the header's menu through ::details-content; where a browser cannot,
     open the <details> so the links stay in view. */
  var menu = document.getElementById("site-menu");
  var wide = window.matchMedia("(min-width: 60.001rem)");
  var styled = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  if (menu && !styled && wide.matches) {
    menu.open = true;
  }
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
