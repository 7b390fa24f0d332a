/*
 * The big screen (大屏) for the command hall: the map page's data, dark and large, and
 * refreshing itself every data-refresh-seconds (60) from /api/v1/board/…. Without a
 * pinned ?date= it always shows today, so a screen left on all day stays current.
 */
(function () {
  "use strict";

  const B = window.Battlemap;

  function pad(n) {
    return String(n).padStart(2, "0");
  }

  function clock(date) {
    return pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds());
  }

  function init() {
    const root = document.getElementById("board");
    if (!root || !window.echarts) return;
    const meta = B.readJSON("board-meta");
    let board = B.readJSON("board-data");
    const pinned = root.dataset.pinnedDate || "";
    const indicator = board.indicator;
    const ranking = document.getElementById("ranking-body");
    const status = document.getElementById("board-status");

    function params() {
      return { date: pinned, indicator: indicator };
    }

    const map = new B.MapChart(document.getElementById("map-chart"), {
      meta: meta,
      theme: "dark",
      large: true,
      onClick: function (child) {
        window.location.href = B.childLink(root, child, params());
      },
    });
    const trend = new B.TrendChart(document.getElementById("trend-chart"), {
      meta: meta,
      theme: "dark",
      large: true,
    });

    function draw() {
      B.renderFigures(root, board, meta);
      B.renderRanking(root, ranking, board, meta, params());
      map.update(board);
      document.getElementById("screen-date").textContent = board.date;
      root.dataset.shown = board.date + " " + board.indicator;
    }

    async function loadTrend() {
      const points = await B.getJSON(
        B.withParams(root.dataset.trendUrl, { date: pinned, period: "year" })
      );
      trend.update(points, "year");
    }

    async function refresh() {
      try {
        const [data] = await Promise.all([
          B.getJSON(B.withParams(root.dataset.boardUrl, params())),
          loadTrend(),
        ]);
        board = data;
        draw();
        status.textContent = "";
        document.getElementById("screen-updated").textContent = clock(new Date());
      } catch (error) {
        // Keep showing the last figures; say so, and try again at the next tick.
        status.textContent = meta.ui.loadFailed;
      }
    }

    B.getJSON(root.dataset.geoUrl)
      .then(function (geojson) {
        map.setGeometry(root.dataset.code, geojson);
        if (geojson.schematic) document.getElementById("map-schematic").hidden = false;
        map.update(board);
      })
      .catch(function () {
        status.textContent = meta.ui.loadFailed;
      });
    draw();
    loadTrend().catch(function () {
      status.textContent = meta.ui.loadFailed;
    });

    const seconds = Number(root.dataset.refreshSeconds) || 60;
    window.setInterval(refresh, seconds * 1000);
    document.getElementById("screen-updated").textContent = clock(new Date());
    const clockElement = document.getElementById("screen-clock");
    clockElement.textContent = clock(new Date());
    window.setInterval(function () {
      clockElement.textContent = clock(new Date());
    }, 1000);

    const fullscreen = document.getElementById("screen-fullscreen");
    fullscreen.addEventListener("click", function () {
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
