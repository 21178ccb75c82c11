// OpenCem dashboard: draws the charts described by data-chart attributes and submits filter forms on change.
// External file (the CSP allows no inline script); pages work without it, only the charts need it.
(function () {
  "use strict";

  var palette = ["#1f5fa8", "#c2571a", "#2e7d4f", "#8a3ea8", "#a8861f", "#4f6475"];

  // Draws the crossing lines of a scatter chart's quadrants (importance × performance).
  var quadrantLines = {
    id: "quadrantLines",
    afterDraw: function (chart) {
      var q = chart.config.options.quadrants;
      if (!q) { return; }
      var ctx = chart.ctx, x = chart.scales.x, y = chart.scales.y;
      ctx.save();
      ctx.strokeStyle = "#6b7280";
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(x.getPixelForValue(q.x), y.top);
      ctx.lineTo(x.getPixelForValue(q.x), y.bottom);
      ctx.moveTo(x.left, y.getPixelForValue(q.y));
      ctx.lineTo(x.right, y.getPixelForValue(q.y));
      ctx.stroke();
      ctx.restore();
    }
  };

  function axis(title) {
    return { title: { display: true, text: title, color: "#374151", font: { weight: "bold" } }, ticks: { color: "#374151" }, grid: { color: "#e5e7eb" } };
  }

  function config(spec) {
    var scatter = spec.type === "scatter";
    var datasets = scatter
      ? [{ label: spec.yLabel, data: spec.points.map(function (p) { return { x: p.x, y: p.y, label: p.label }; }), backgroundColor: palette[0], pointRadius: 5 }]
      : spec.series.map(function (s, i) {
          return { label: s.name, data: s.values, borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length], spanGaps: true, tension: 0.2 };
        });
    return {
      type: spec.type,
      data: { labels: scatter ? undefined : spec.labels, datasets: datasets },
      plugins: [quadrantLines],
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: spec.locale,
        quadrants: spec.quadrants,
        scales: {
          x: Object.assign(axis(spec.xLabel), { stacked: !!spec.stacked }),
          y: Object.assign(axis(spec.yLabel), { beginAtZero: spec.type === "bar", stacked: !!spec.stacked })
        },
        plugins: {
          legend: { display: !scatter && spec.series.length > 1 },
          tooltip: scatter ? { callbacks: { label: function (c) { return c.raw.label + ": " + c.raw.x + ", " + c.raw.y; } } } : {}
        }
      }
    };
  }

  function drawCharts() {
    if (typeof window.Chart !== "function") { return; }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      try {
        new window.Chart(canvas, config(JSON.parse(canvas.getAttribute("data-chart"))));
      } catch (e) {
        canvas.parentElement.classList.add("chart-failed");
      }
    });
  }

  function autoSubmit() {
    document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts();
    autoSubmit();
  });
})();
