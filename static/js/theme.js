// Light/dark theme: follows the system unless the visitor chose, and remembers
// the choice in localStorage (sites set no cookies). Loaded in <head> without
// defer so the saved theme applies before the first paint.
(function () {
  "use strict";
  var KEY = "multifolio-theme";
  var root = document.documentElement;

  function saved() {
    try {
      return localStorage.getItem(KEY);
    } catch (e) {
      return null; // storage disabled: follow the system
    }
  }

  function systemTheme() {
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches
      ? "dark"
      : "light";
  }

  function apply(theme) {
    if (theme === "light" || theme === "dark") {
      root.setAttribute("data-theme", theme);
    } else {
      root.removeAttribute("data-theme");
    }
  }

  apply(saved());

  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("[data-theme-toggle]");
    buttons.forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var current = root.getAttribute("data-theme") || systemTheme();
        var next = current === "dark" ? "light" : "dark";
        apply(next);
        try {
          localStorage.setItem(KEY, next);
        } catch (e) {
          /* not remembered, still applied */
        }
      });
    });
  });
})();
