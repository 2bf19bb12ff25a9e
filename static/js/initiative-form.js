/*
 * The initiative form works without JavaScript: "Add a budget line" and "Add a task" are
 * submit buttons that redisplay the form with one more empty row, saving nothing. This
 * script only makes that quicker and moves focus where it helps:
 *  - an error summary gets focus when the page opens (for browsers that ignore autofocus
 *    on a non-form element), so screen readers read it first;
 *  - "add" buttons copy the formset's empty row (a <template> holding Django's empty_form,
 *    with __prefix__ in its names) and raise the formset's TOTAL_FORMS count;
 *  - Enter in a one-line field saves the draft, as it would without the "add" buttons,
 *    which come first in the form and would otherwise be the default button.
 */
(function () {
  "use strict";
  var form = document.querySelector("[data-initiative-form]");
  var summary = document.querySelector("[data-error-summary]");
  if (summary && document.activeElement !== summary) summary.focus();
  if (!form) return;

  function addRow(formset) {
    var prefix = formset.getAttribute("data-formset");
    var total = formset.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var max = formset.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");
    var template = formset.querySelector("template[data-empty-form]");
    var rows = formset.querySelector("[data-formset-rows]");
    if (!total || !template || !rows) return false;
    var index = parseInt(total.value, 10) || 0;
    if (max && index >= (parseInt(max.value, 10) || 1000)) return true;
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
    return true;
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (!button) return;
    var formset = button.closest("[data-formset]");
    if (formset && addRow(formset)) event.preventDefault();
  });

  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || target.tagName !== "INPUT") return;
    if (/^(submit|button|file|reset|image)$/i.test(target.type)) return;
    var save = form.querySelector("[data-save]");
    if (!save) return;
    event.preventDefault();
    if (form.requestSubmit) form.requestSubmit(save);
    else save.click();
  });
})();
