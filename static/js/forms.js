// A form shown again with errors: move focus to its error summary (WCAG 3.3.1), on load and
// after htmx swaps a form in.
(function () {
  function focusSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () { focusSummary(document); });
  document.addEventListener("htmx:afterSettle", function (event) { focusSummary(event.target); });
})();
