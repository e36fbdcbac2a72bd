// Draws the pages' charts with the vendored Chart.js from the JSON the server put in the
// page (<script type="application/json">): no request, no inline code. Each chart has the
// same numbers in a table beside it, so the page says everything without this script.
(function () {
  "use strict";
  var palette = ["#0b5cad", "#b35900", "#116329", "#8a2be2", "#a40e26", "#00727a", "#5b5b5b"];

  function data(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function draw(canvasId, type, labels, datasets) {
    var canvas = document.getElementById(canvasId);
    if (!canvas) { return; }
    new Chart(canvas, {
      type: type,
      data: { labels: labels, datasets: datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: { y: { beginAtZero: true, title: { display: true, text: "credits" } } }
      }
    });
    drawn += 1;
  }

  function series(all, field) {
    return all.map(function (s, i) {
      var colour = palette[i % palette.length];
      return { label: s.label, data: s[field], borderColor: colour, backgroundColor: colour };
    });
  }

  var drawn = 0;
  var board = data("leaderboard-chart-data");
  if (board) {
    var epochs = board.epochs.map(function (e) { return "epoch " + e; });
    draw("earnings-chart", "line", epochs, series(board.series, "earnings"));
    draw("contribution-chart", "line", epochs, series(board.series, "contribution"));
  }
  var model = data("model-chart-data");
  if (model) {
    var labels = model.epochs.map(function (e) { return "epoch " + e; });
    draw("model-earnings-chart", "bar", labels, [
      { label: "earnings", data: model.earnings, backgroundColor: palette[0] },
      { label: "contribution", data: model.contribution, backgroundColor: palette[1] }
    ]);
    draw("model-stake-chart", "line", labels, [
      { label: "stake at the epoch's end", data: model.stake, borderColor: palette[2],
        backgroundColor: palette[2], stepped: true },
      { label: "stake burned", data: model.stake_burned, borderColor: palette[4],
        backgroundColor: palette[4] }
    ]);
  }
  // Tests wait for this: how many charts the page drew.
  document.documentElement.dataset.chartsDrawn = String(drawn);
})();
