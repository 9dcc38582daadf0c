/* Small progressive enhancements for every page. The pages work without this file. */
(function () {
  "use strict";
  // An error summary takes focus on load, so a screen reader reads it and the keyboard starts from it.
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () { focusErrorSummary(document); });
  // A link in the summary moves focus to its field (the browser only scrolls to it).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (field) { event.preventDefault(); field.focus(); field.scrollIntoView({block: "center"}); }
  });
  window.portal = window.portal || {};
  window.portal.focusErrorSummary = focusErrorSummary;
})();
