/*
 * The site menu is a <details> element, so it opens and closes without JavaScript.
 * This script only adds what <details> lacks: aria-expanded on the button for older
 * screen readers, Escape to close, closing on a click elsewhere, and (for browsers without
 * ::details-content) keeping the menu open on wide screens, where the button is hidden.
 */
(function () {
  "use strict";
  var menu = document.querySelector("[data-site-menu]");
  if (!menu) return;
  var toggle = menu.querySelector("summary");
  var wide = window.matchMedia("(min-width: 50em)");

  function sync() {
    toggle.setAttribute("aria-expanded", menu.open ? "true" : "false");
  }
  function fitScreen() {
    menu.open = wide.matches;
    sync();
  }

  menu.addEventListener("toggle", sync);
  menu.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open && !wide.matches) {
      menu.open = false;
      toggle.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (menu.open && !wide.matches && !menu.contains(event.target)) menu.open = false;
  });
  if (wide.addEventListener) wide.addEventListener("change", fitScreen);
  fitScreen();
})();
