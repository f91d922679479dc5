// Eligibility criteria editor: the "add a criterion" button clones the formset's empty form.
// The formset prefix comes from the button's data-formset-prefix (no inline script: the CSP forbids it).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("criterion-add");
  if (!button) { return; }
  var total = document.getElementById("id_" + button.dataset.formsetPrefix + "-TOTAL_FORMS");
  var template = document.getElementById("criterion-empty-form");
  if (!total || !template) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var card = holder.firstElementChild;
    document.getElementById("criterion-forms").appendChild(card);
    total.value = index + 1;
    var first = card.querySelector("select, input");
    if (first) { first.focus(); }
  });
});
