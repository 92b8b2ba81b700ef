// Leaders' view: three small charts drawn from the page's own data (json_script, no inline script).
(function () {
  "use strict";
  var source = document.getElementById("leaders-data");
  if (!source || !window.Chart) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var small = { responsive: true, maintainAspectRatio: false, animation: false };

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) {
      new window.Chart(canvas, config);
    }
  }

  draw("chart-predikat", {
    type: "doughnut",
    data: {
      labels: data.predikat_labels,
      datasets: [{ data: data.predikat, backgroundColor: ["#198754", "#0d6efd", "#ffc107", "#fd7e14", "#dc3545"] }],
    },
    options: Object.assign({ plugins: { legend: { position: "bottom" } } }, small),
  });
  draw("chart-reported", {
    type: "bar",
    data: { labels: data.units, datasets: [{ label: data.labels.reported, data: data.reported, backgroundColor: "#198754" }] },
    options: Object.assign({ indexAxis: "y", scales: { x: { min: 0, max: 100 } }, plugins: { legend: { display: false } } }, small),
  });
  draw("chart-tpp", {
    type: "bar",
    data: {
      labels: data.units,
      datasets: [
        { label: data.labels.tpp_year, data: data.tpp_year, backgroundColor: "#0d6efd" },
        { label: data.labels.budget, data: data.budget, backgroundColor: "#adb5bd" },
      ],
    },
    options: Object.assign({ indexAxis: "y", plugins: { legend: { position: "bottom" } } }, small),
  });
})();
