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

// A table wider than the screen scrolls inside its own box (.overflow-auto): such a box becomes
// a keyboard stop, named after its section's heading or the table's caption, so it can be
// scrolled without a mouse (WCAG 2.1.1). Boxes that fit get no extra stop.
(function () {
  function markScrollBoxes() {
    document.querySelectorAll(".overflow-auto").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        var section = box.closest("[aria-labelledby]");
        var caption = box.querySelector("caption");
        if (caption) {
          if (!caption.id) { caption.id = "scroll-caption-" + Math.random().toString(36).slice(2); }
          box.setAttribute("aria-labelledby", caption.id);
        } else if (section) {
          box.setAttribute("aria-labelledby", section.getAttribute("aria-labelledby"));
        }
        box.dataset.scrollBox = "";
      } else if (!scrolls && box.hasAttribute("data-scroll-box")) {
        ["tabindex", "role", "aria-labelledby", "data-scroll-box"].forEach(function (name) {
          box.removeAttribute(name);
        });
      }
    });
  }
  // The record types' row scrolls on a phone: bring the current type into view.
  function showCurrentRecordType() {
    var current = document.querySelector(".record-nav [aria-current]");
    if (current) { current.closest("ul").scrollLeft = current.offsetLeft - 16; }
  }
  document.addEventListener("DOMContentLoaded", showCurrentRecordType);
  document.addEventListener("DOMContentLoaded", markScrollBoxes);
  document.addEventListener("htmx:afterSettle", markScrollBoxes);
  window.addEventListener("resize", markScrollBoxes);
})();
