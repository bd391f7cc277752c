// Share with business: the events-per-quarter chart of the steering overview page.
(function () {
  "use strict";
  var canvas = document.getElementById("steering-quarters-chart");
  var source = document.getElementById("steering-quarters-data");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: "Events held", data: data.events, backgroundColor: "#0d6efd" },
        { label: "Business attendees", data: data.attendees, backgroundColor: "#20c997" }
      ]
    },
    options: { responsive: true, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
})();
