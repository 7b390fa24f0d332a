/*
 * The map page: the date control, the indicator selector and the period toggle redraw
 * the figures strip, the map, the ranking and the trend from /api/v1/board/…, and keep
 * ?date=&indicator= in the address so the view can be shared and reloaded.
 * Without JavaScript the same form reloads the page with the figures drawn by the server.
 */
(function () {
  "use strict";

  const B = window.Battlemap;
  const DAY = 86400000;

  function toDays(iso) {
    const parts = iso.split("-").map(Number);
    return Date.UTC(parts[0], parts[1] - 1, parts[2]) / DAY;
  }

  function fromDays(days) {
    return new Date(days * DAY).toISOString().slice(0, 10);
  }

  function init() {
    const root = document.getElementById("board");
    if (!root || !window.echarts) return;
    const meta = B.readJSON("board-meta");
    let board = B.readJSON("board-data");
    const state = { date: board.date, indicator: board.indicator, period: "year" };

    const form = document.getElementById("board-controls");
    const dateInput = document.getElementById("board-date");
    const slider = document.getElementById("board-slider");
    const select = document.getElementById("board-indicator");
    const status = document.getElementById("board-status");
    const ranking = document.getElementById("ranking-body");
    const schematic = document.getElementById("map-schematic");
    const first = toDays(dateInput.dataset.first || dateInput.min);

    const map = new B.MapChart(document.getElementById("map-chart"), {
      meta: meta,
      onClick: function (child) {
        window.location.href = B.childLink(root, child, {
          date: state.date,
          indicator: state.indicator,
        });
      },
    });
    const trend = new B.TrendChart(document.getElementById("trend-chart"), { meta: meta });

    let sequence = 0;

    function params() {
      return { date: state.date, indicator: state.indicator };
    }

    function draw() {
      B.renderFigures(root, board, meta);
      B.renderRanking(root, ranking, board, meta, params());
      map.update(board);
      B.carryParams(root, params());
      root.dataset.shown = board.date + " " + board.indicator;
    }

    async function loadTrend(seq) {
      const points = await B.getJSON(
        B.withParams(root.dataset.trendUrl, { date: state.date, period: state.period })
      );
      if (seq === sequence) trend.update(points, state.period);
    }

    async function refresh() {
      const seq = ++sequence;
      root.classList.add("is-loading");
      status.textContent = "";
      try {
        const [data] = await Promise.all([
          B.getJSON(B.withParams(root.dataset.boardUrl, params())),
          loadTrend(seq),
        ]);
        if (seq !== sequence) return;
        board = data;
        draw();
        window.history.replaceState(null, "", B.withParams(window.location.href, params()));
      } catch (error) {
        status.textContent = meta.ui.loadFailed;
        throw error;
      } finally {
        if (seq === sequence) root.classList.remove("is-loading");
      }
    }

    function setDate(iso) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return;
      if (dateInput.max && iso > dateInput.max) iso = dateInput.max;
      if (dateInput.min && iso < dateInput.min) iso = dateInput.min;
      dateInput.value = iso;
      slider.value = String(toDays(iso) - first);
      if (iso === state.date) return;
      state.date = iso;
      refresh();
    }

    dateInput.addEventListener("change", function () {
      setDate(dateInput.value);
    });
    let sliding = null;
    slider.addEventListener("input", function () {
      // Show the date while dragging; redraw once the hand rests.
      dateInput.value = fromDays(first + Number(slider.value));
      window.clearTimeout(sliding);
      sliding = window.setTimeout(function () {
        setDate(dateInput.value);
      }, 250);
    });
    slider.addEventListener("change", function () {
      window.clearTimeout(sliding);
      setDate(fromDays(first + Number(slider.value)));
    });
    select.addEventListener("change", function () {
      state.indicator = select.value;
      refresh();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      state.indicator = select.value;
      if (dateInput.value !== state.date) setDate(dateInput.value);
      else refresh();
    });
    root.querySelectorAll("[data-period]").forEach(function (button) {
      button.addEventListener("click", function () {
        state.period = button.dataset.period;
        root.querySelectorAll("[data-period]").forEach(function (other) {
          other.setAttribute("aria-pressed", String(other === button));
        });
        loadTrend(sequence);
      });
    });

    B.getJSON(root.dataset.geoUrl)
      .then(function (geojson) {
        map.setGeometry(root.dataset.code, geojson);
        if (geojson.schematic) schematic.hidden = false;
        map.update(board);
      })
      .catch(function () {
        status.textContent = meta.ui.loadFailed;
      });
    loadTrend(sequence);
    draw();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
