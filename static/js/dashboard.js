/* The dashboard's figure choice: the charts by country, sector and week are drawn on the server
 * for every figure (reporting/charts.py); this shows the one chosen. Without JavaScript the
 * first figure is drawn and every chart's table has them all. No inline script (CSP). */
(function () {
  "use strict";

  var select = document.getElementById("chart-figure");
  if (!select) {
    return;
  }

  function show(key) {
    var option = select.selectedOptions[0];
    document.querySelectorAll("figure[data-selectable]").forEach(function (figure) {
      var found = false;
      figure.querySelectorAll(".chart-svg").forEach(function (drawing) {
        var chosen = drawing.getAttribute("data-series") === key;
        found = found || chosen;
        if (chosen) {
          drawing.removeAttribute("hidden");
        } else {
          drawing.setAttribute("hidden", "");
        }
      });
      figure.querySelector(".chart-box").hidden = !found;
      figure.querySelector(".chart-missing").hidden = found;
      var label = figure.querySelector("[data-chart-metric]");
      if (label && option) {
        label.textContent = option.textContent;
      }
    });
  }

  select.closest(".chart-figure-choice").hidden = false;
  select.addEventListener("change", function () { show(select.value); });
  show(select.value);  // a reload may keep another choice than the first
}());
