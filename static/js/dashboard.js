// Charts of the partnership dashboard; the data comes from the json_script element.
(function () {
  "use strict";
  const source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const trend = document.getElementById("trend-chart");
  if (trend && data.trend.labels.length) {
    new Chart(trend, {
      type: "line",
      data: { labels: data.trend.labels, datasets: [{ label: "Partnership score", data: data.trend.values, tension: 0.2 }] },
      options: { animation: false, maintainAspectRatio: false, scales: { y: { min: 0, max: 100 } } },
    });
  }
  const units = document.getElementById("units-chart");
  if (units && data.units.labels.length) {
    new Chart(units, {
      type: "bar",
      data: { labels: data.units.labels, datasets: [{ label: "Score", data: data.units.values }] },
      options: { animation: false, maintainAspectRatio: false, indexAxis: "y", scales: { x: { min: 0, max: 100 } } },
    });
  }
})();
