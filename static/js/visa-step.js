// The visa file's "next step" form: show only the fields the chosen step uses (all stay in the page,
// so that nothing typed is lost and the form works without this script).
(function () {
  "use strict";
  var FIELDS = {
    submitted: ["appointment_on", "consulate"],
    refused: ["refusal_reason", "refusal_details"],
    granted: ["valid_from", "valid_until"],
  };
  var OPTIONAL = ["appointment_on", "consulate", "refusal_reason", "refusal_details", "valid_from", "valid_until"];
  function update(form) {
    var select = form.querySelector("select[name=to_status]");
    if (!select) return;
    var shown = FIELDS[select.value] || [];
    OPTIONAL.forEach(function (name) {
      var wrapper = form.querySelector("#div_id_" + name);
      if (wrapper) wrapper.hidden = shown.indexOf(name) === -1;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.pem-visa-step").forEach(function (form) {
      update(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "to_status") update(form);
      });
    });
  });
})();
