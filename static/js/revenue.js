/* The project page's chart: expected versus realised revenue by month.
   Data comes from the json_script element "revenue-chart-data"; no inline script. */
(function () {
  "use strict";
  var canvas = document.getElementById("revenue-chart");
  var source = document.getElementById("revenue-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var toNumber = function (value) {
    return value === null ? null : Number(value);
  };
  var money = new Intl.NumberFormat(document.documentElement.lang || undefined, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  new Chart(canvas, {
    data: {
      labels: data.labels,
      datasets: [
        {
          type: "bar",
          label: "Realised (" + data.currency + ")",
          data: data.realised.map(toNumber),
          backgroundColor: "rgba(25, 135, 84, 0.6)",
          order: 2,
        },
        {
          type: "line",
          label: "Expected (" + data.currency + ")",
          data: data.expected.map(toNumber),
          borderColor: "rgba(13, 110, 253, 1)",
          backgroundColor: "rgba(13, 110, 253, 0.2)",
          stepped: true,
          pointRadius: 2,
          order: 1,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return money.format(v); } } } },
      plugins: {
        tooltip: {
          callbacks: {
            label: function (ctx) {
              return ctx.dataset.label + ": " + (ctx.parsed.y === null ? "—" : money.format(ctx.parsed.y));
            },
          },
        },
      },
    },
  });
})();
