// Dashboard link form: show only what the chosen network needs. Without this
// script every field stays visible and labelled, so the form still works.
(function () {
  "use strict";
  document.querySelectorAll("[data-link-form]").forEach(function (form) {
    var select = form.querySelector("select[name=network]");
    var value = form.querySelector("input[name=value]");
    var hints = form.querySelectorAll("[data-network]");
    var sections = form.querySelectorAll("[data-for-kind]");
    if (!select) return;

    function update() {
      var kind = "";
      hints.forEach(function (hint) {
        var chosen = hint.getAttribute("data-network") === select.value;
        hint.hidden = !chosen;
        if (chosen) {
          kind = hint.getAttribute("data-kind");
          if (value) value.placeholder = hint.getAttribute("data-placeholder") || "";
        }
      });
      sections.forEach(function (section) {
        section.hidden = section.getAttribute("data-for-kind") !== kind;
      });
      if (value) {
        var field = value.closest(".field");
        if (field) field.hidden = kind === "feed";
      }
    }

    select.addEventListener("change", update);
    update();
  });
})();
