// Light or dark. Without a choice the system's preference applies (site.css); the header's
// switch stores the reader's choice in this browser. Loaded in <head>, before the page is
// drawn, so that a dark page never flashes light first.
(function () {
  var root = document.documentElement;
  var key = "newsroom-theme";
  var system = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  try {
    var stored = window.localStorage.getItem(key);
    if (stored === "light" || stored === "dark") root.setAttribute("data-theme", stored);
  } catch (error) {
    // Storage refused (private mode, blocked cookies): the system's preference applies.
  }
  root.classList.add("has-theme-switch");

  function current() {
    return root.getAttribute("data-theme") || (system && system.matches ? "dark" : "light");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".theme-switch");
    if (!button) return;
    function show() {
      button.setAttribute("aria-pressed", current() === "dark" ? "true" : "false");
    }
    show();
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try {
        window.localStorage.setItem(key, next);
      } catch (error) {
        // Not remembered, but switched for this page.
      }
      show();
    });
    if (system && system.addEventListener) system.addEventListener("change", show);
  });
})();
