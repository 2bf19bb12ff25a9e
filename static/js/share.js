/*
 * "Copy link" on an initiative page. Without JavaScript the link stays in a read-only
 * field to select and copy by hand; this script shows the button, copies the link with
 * the Clipboard API (or selects the field where that is not allowed), and says so in a
 * status message that screen readers announce.
 */
(function () {
  "use strict";
  document.querySelectorAll("[data-share-copy]").forEach(function (box) {
    var input = box.querySelector("input");
    var button = box.querySelector("[data-copy-button]");
    var status = box.querySelector("[role=status]");
    if (!input || !button) return;
    button.hidden = false;
    input.addEventListener("focus", function () { input.select(); });
    button.addEventListener("click", function () {
      function done() { status.textContent = status.getAttribute("data-copied-message"); }
      function selectOnly() { input.focus(); input.select(); }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, selectOnly);
      } else {
        selectOnly();
      }
    });
  });
})();
