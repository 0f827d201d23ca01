/* The dashboard's charts, drawn with the vendored Chart.js from the data the page embeds.
 *
 * Each <figure data-chart="ID"> names a <script type="application/json" id="ID"> written by
 * Django's json_script; the same figures are in the table beside it, so without JavaScript
 * (or for a screen reader) nothing is lost. No inline script: the page can forbid them (CSP).
 */
(function () {
  "use strict";

  if (typeof window.Chart === "undefined") {
    return; // the tables stay open and are the dashboard
  }
  var Chart = window.Chart;
  var ACCENT = "#0b4f8a";
  // Stacked charts (enquiries by channel): one colour per series, distinct in greyscale too.
  var PALETTE = ["#0b4f8a", "#d08c00", "#2a7f62", "#9c4f96", "#6b7280"];
  var ROW_HEIGHT = 28; // pixels per bar of a horizontal chart
  var MAX_LABEL_LENGTH = 28;
  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#1d2a35";
  Chart.defaults.animation = reducedMotion ? false : { duration: 300 };

  var numberFormat = new Intl.NumberFormat(document.documentElement.lang || undefined);

  // Long labels ("Online commercial sexual exploitation of children") wrap instead of being cut.
  function wrapLabel(label) {
    var lines = [];
    var line = "";
    label.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > MAX_LABEL_LENGTH) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    lines.push(line);
    return lines.length > 1 ? lines : label;
  }

  function seriesFor(data, key) {
    if (!data.selectable) {
      return data.series[0];
    }
    for (var i = 0; i < data.series.length; i += 1) {
      if (data.series[i].key === key) {
        return data.series[i];
      }
    }
    return null;
  }

  function hasValues(series) {
    return series !== null && series.data.some(function (value) { return value !== null; });
  }

  function draw(entry, key) {
    var series = seriesFor(entry.data, key);
    var available = entry.data.stacked
      ? entry.data.series.some(hasValues)
      : hasValues(series);
    entry.box.hidden = !available;
    entry.missing.hidden = available;
    entry.missing.textContent = available ? "" : entry.data.missingNote;
    if (entry.metricLabel) {
      var option = entry.select ? entry.select.selectedOptions[0] : null;
      entry.metricLabel.textContent = series ? series.label : (option ? option.textContent : "");
    }
    if (!available) {
      return;
    }
    var stacked = Boolean(entry.data.stacked);
    var datasets = (stacked ? entry.data.series : [series]).map(function (each, i) {
      var colour = stacked ? PALETTE[i % PALETTE.length] : ACCENT;
      return {
        label: each.label,
        data: each.data,
        backgroundColor: colour,
        borderColor: colour,
        borderWidth: 1,
        maxBarThickness: 32
      };
    });
    if (entry.chart) {
      entry.chart.data.datasets = datasets;
      entry.chart.update();
      return;
    }
    var horizontal = entry.data.horizontal;
    var labels = entry.data.labels.map(wrapLabel);
    if (horizontal) {
      var mostLines = labels.reduce(function (most, label) {
        return Math.max(most, Array.isArray(label) ? label.length : 1);
      }, 1);
      var rowHeight = Math.max(ROW_HEIGHT, mostLines * 15 + 12);
      entry.box.style.height = (labels.length * rowHeight + 48) + "px";
    }
    var valueAxis = {
      beginAtZero: true,
      ticks: { precision: 0, callback: function (value) { return numberFormat.format(value); } }
    };
    var labelAxis = { ticks: { autoSkip: false } };
    entry.chart = new Chart(entry.canvas, {
      type: entry.data.kind,
      data: { labels: labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: stacked, position: "bottom" },
          tooltip: {
            callbacks: {
              title: function (items) {
                return items.length ? entry.data.labels[items[0].dataIndex] : "";
              },
              label: function (context) {
                return context.dataset.label + ": " + numberFormat.format(context.parsed[horizontal ? "x" : "y"]);
              }
            }
          }
        },
        scales: horizontal
          ? { x: Object.assign({ stacked: stacked }, valueAxis), y: Object.assign({ stacked: stacked }, labelAxis) }
          : { x: Object.assign({ stacked: stacked }, labelAxis), y: Object.assign({ stacked: stacked }, valueAxis) }
      }
    });
  }

  var select = document.getElementById("chart-figure");
  var entries = [];
  document.querySelectorAll("figure[data-chart]").forEach(function (figure) {
    var source = document.getElementById(figure.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var entry = {
      data: JSON.parse(source.textContent),
      box: figure.querySelector(".chart-box"),
      canvas: figure.querySelector("canvas"),
      missing: figure.querySelector(".chart-missing"),
      metricLabel: figure.querySelector("[data-chart-metric]"),
      select: select,
      chart: null
    };
    entries.push(entry);
    draw(entry, select ? select.value : null);
    // The chart is there now: its table stays one click away.
    var details = figure.querySelector("details.chart-table");
    if (details) {
      details.open = false;
    }
  });

  if (select) {
    select.closest(".chart-figure-choice").hidden = false;
    select.addEventListener("change", function () {
      entries.forEach(function (entry) {
        if (entry.data.selectable) {
          draw(entry, select.value);
        }
      });
    });
  }
}());
