/*
 * Battlemap board: what the map page and the big screen share — reading the data the
 * page embeds, fetching /api/v1/board/…, formatting figures as the server does, and the
 * map, ranking and trend drawings.
 *
 * No inline script anywhere (a strict Content-Security-Policy): pages pass their data
 * with {{ value|json_script }} and data- attributes, and every string a user reads
 * comes translated from the server (indicator labels, the "ui" texts of board-meta).
 */
(function () {
  "use strict";

  function readJSON(id) {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  /* 5307 → "5,307"; 7.1 with two decimals → "7.10"; null → "—" (the `figure` template filter). */
  function format(value, decimals) {
    if (value === null || value === undefined || Number.isNaN(value)) return "—";
    const places = decimals || 0;
    return Number(value).toLocaleString("en-US", {
      minimumFractionDigits: places,
      maximumFractionDigits: places,
    });
  }

  async function getJSON(url) {
    const response = await fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) throw new Error(url + " answered " + response.status);
    return response.json();
  }

  /* The same address with some query parameters set (or removed when empty). */
  function withParams(href, params) {
    const url = new URL(href, window.location.href);
    Object.keys(params).forEach(function (key) {
      const value = params[key];
      if (value === null || value === undefined || value === "") url.searchParams.delete(key);
      else url.searchParams.set(key, value);
    });
    return url.pathname + url.search;
  }

  /* Links marked data-carry="date indicator" follow the page's current choice. */
  function carryParams(root, params) {
    root.querySelectorAll("a[data-carry]").forEach(function (link) {
      const carried = {};
      link.dataset.carry.split(/\s+/).forEach(function (key) {
        if (key in params) carried[key] = params[key];
      });
      link.setAttribute("href", withParams(link.getAttribute("href"), carried));
    });
  }

  function escapeHTML(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* Where a click on a child region goes: its own map, or a village's household list. */
  function childLink(root, child, params) {
    if (child.level === "village") {
      return withParams(root.dataset.householdsUrl.replace("__code__", child.code), {
        date: params.date,
      });
    }
    const base = root.dataset.childUrl || root.dataset.mapUrl;
    return withParams(base.replace("__code__", child.code), params);
  }

  /* The strip of key figures: the server rendered the cards, this refreshes their numbers. */
  function renderFigures(root, board, meta) {
    // The "no poor household on this day" notice holds only while the day has none.
    const empty = document.getElementById("board-empty");
    if (empty) empty.hidden = (board.measures.households_poor || 0) > 0 || board.date < empty.dataset.after;
    root.querySelectorAll("[data-figure]").forEach(function (card) {
      const indicator = meta.indicators[card.dataset.figure];
      card.querySelector(".figure-value").textContent = format(
        board.indicators[indicator.name],
        indicator.decimals
      );
      const detail = card.querySelector(".figure-detail");
      if (detail && indicator.denominator) {
        const scale = indicator.detail_scale || 1;
        detail.textContent =
          format(Math.round(board.measures[indicator.numerator] / scale), 0) +
          " / " +
          format(Math.round(board.measures[indicator.denominator] / scale), 0);
      }
    });
  }

  /* The ranking board, worst first (the order comes from the server). */
  /* The best value of the ranking (its last place with a value): places 1–3 are marked
     as the worst only where they differ from it, never when everyone ties (all 0.00). */
  function bestValue(board) {
    const values = board.ranking
      .map(function (code) {
        const child = board.children.find(function (c) { return c.code === code; });
        return child.indicators[board.indicator];
      })
      .filter(function (v) { return v !== null && v !== undefined; });
    return values.length ? values[values.length - 1] : null;
  }

  function renderRanking(root, tbody, board, meta, params, options) {
    const indicator = meta.indicators[board.indicator];
    const children = {};
    board.children.forEach(function (child) {
      children[child.code] = child;
    });
    const limit = (options && options.limit) || board.ranking.length;
    const best = bestValue(board);
    const rows = board.ranking.slice(0, limit).map(function (code, index) {
      const child = children[code];
      const row = document.createElement("tr");
      const rank = document.createElement("td");
      const own = child.indicators[board.indicator];
      const worst = index < 3 && own !== null && own !== undefined && own !== best;
      rank.className = worst ? "rank rank-" + (index + 1) : "rank";
      rank.textContent = String(index + 1);
      const name = document.createElement("td");
      name.className = "name";
      const link = document.createElement("a");
      link.href = childLink(root, child, params);
      link.textContent = child.name;
      name.appendChild(link);
      const value = document.createElement("td");
      value.className = "num";
      const shown = child.indicators[board.indicator];
      value.textContent = format(shown, indicator.decimals);
      if (shown !== null && shown !== undefined) {
        const unit = document.createElement("span");
        unit.className = "unit";
        unit.textContent = indicator.unit;
        value.appendChild(unit);
      }
      row.append(rank, name, value);
      return row;
    });
    if (rows.length) tbody.replaceChildren.apply(tbody, rows);
    root.querySelectorAll("[data-indicator-label]").forEach(function (element) {
      element.textContent = indicator.label;
    });
  }

  /* data-ready="1" once a chart has drawn its data and finished animating (tests and
     screenshots wait for it); "0" while it redraws. */
  function markWhenFinished(chart, element) {
    chart.on("finished", function () {
      const option = chart.getOption();
      if (option && option.series && option.series.length) {
        element.dataset.ready = "1";
      }
    });
  }

  /* The map of a region's children, coloured by one indicator. */
  function MapChart(element, options) {
    this.element = element;
    this.options = options;
    this.chart = window.echarts.init(element, options.theme || null);
    this.mapName = null;
    this.names = {};
    this.board = null;
    const self = this;
    markWhenFinished(this.chart, element);
    this.chart.on("click", function (params) {
      if (params.componentType === "series" && params.name && options.onClick) {
        const child = (self.board.children || []).find(function (c) {
          return c.code === params.name;
        });
        if (child) options.onClick(child);
      }
    });
    window.addEventListener("resize", function () {
      self.chart.resize();
    });
  }

  MapChart.prototype.setGeometry = function (code, geojson) {
    this.mapName = "battlemap-" + code;
    window.echarts.registerMap(this.mapName, geojson);
    const names = {};
    geojson.features.forEach(function (feature) {
      names[feature.properties.code] = feature.properties.name;
    });
    this.names = names;
  };

  MapChart.prototype.update = function (board) {
    if (!this.mapName) return;
    this.board = board;
    const meta = this.options.meta;
    const indicator = meta.indicators[board.indicator];
    const values = board.children
      .map(function (c) {
        return c.indicators[board.indicator];
      })
      .filter(function (v) {
        return v !== null && v !== undefined;
      });
    let max = values.length ? Math.max.apply(null, values) : 0;
    if (max <= 0) max = indicator.decimals ? 1 : 10;
    const names = this.names;
    const dark = this.options.theme === "dark";
    this.element.dataset.ready = "0";
    const large = this.options.large;
    const ink = dark ? "#e8eef7" : "#1f2d3d";
    this.chart.setOption(
      {
        backgroundColor: "transparent",
        tooltip: {
          trigger: "item",
          confine: true,
          textStyle: { fontSize: large ? 18 : 13 },
          formatter: function (params) {
            const child = board.children.find(function (c) {
              return c.code === params.name;
            });
            if (!child) return "";
            const lines = meta.key_figures.map(function (name) {
              const item = meta.indicators[name];
              return (
                escapeHTML(item.label) +
                " <b>" +
                escapeHTML(format(child.indicators[name], item.decimals)) +
                "</b>" +
                escapeHTML(item.unit)
              );
            });
            return "<b>" + escapeHTML(child.name) + "</b><br>" + lines.join("<br>");
          },
        },
        toolbox: saveImage(meta, dark),
        visualMap: {
          type: "continuous",
          min: 0,
          max: max,
          precision: indicator.decimals,
          calculable: false,
          realtime: false,
          orient: "vertical",
          left: 8,
          bottom: 8,
          itemHeight: large ? 180 : 110,
          text: [format(max, indicator.decimals) + indicator.unit, "0" + indicator.unit],
          textStyle: { color: ink, fontSize: large ? 16 : 12 },
          inRange: { color: indicator.colors },
        },
        series: [
          {
            type: "map",
            map: this.mapName,
            nameProperty: "code",
            roam: false,
            selectedMode: false,
            layoutCenter: ["55%", "50%"],
            layoutSize: "95%",
            // Dark names with a white halo: legible on every shade of the scale, from the
            // near-white of a zero to the darkest red, on the page and on the big screen.
            label: {
              show: true,
              color: "#14202e",
              textBorderColor: "rgba(255, 255, 255, 0.92)",
              textBorderWidth: large ? 4 : 3,
              fontSize: large ? 16 : 11,
              formatter: function (params) {
                return names[params.name] || params.name;
              },
            },
            itemStyle: {
              areaColor: dark ? "#2b3a4f" : "#eef1f5",
              borderColor: dark ? "#0b1a2e" : "#ffffff",
              borderWidth: 1,
            },
            emphasis: {
              label: { show: true, color: dark ? "#fff" : "#000" },
              itemStyle: { areaColor: "#f6c343" },
            },
            data: board.children.map(function (child) {
              const value = child.indicators[board.indicator];
              return { name: child.code, value: value === null ? "-" : value };
            }),
          },
        ],
      },
      { replaceMerge: ["series"] }
    );
  };

  /* ECharts' save-as-image button, so a figure can go into a report (not on the big
     screen, which nobody clicks). Its title comes translated in board-meta. */
  function saveImage(meta, dark, right) {
    if (dark) return { show: false };
    return {
      show: true,
      right: right || 4,
      top: 0,
      feature: {
        saveAsImage: {
          title: (meta.ui && meta.ui.saveImage) || "",
          pixelRatio: 2,
          backgroundColor: "#ffffff",
        },
      },
    };
  }

  /* Poor persons (bars) and poverty incidence (line) at each year-end or month-end. */
  function TrendChart(element, options) {
    this.element = element;
    this.options = options;
    this.chart = window.echarts.init(element, options.theme || null);
    markWhenFinished(this.chart, element);
    const self = this;
    window.addEventListener("resize", function () {
      self.chart.resize();
    });
  }

  TrendChart.prototype.update = function (points, period) {
    const meta = this.options.meta;
    const persons = meta.indicators.persons_poor;
    const incidence = meta.indicators.poverty_incidence;
    const large = this.options.large;
    const dark = this.options.theme === "dark";
    const ink = dark ? "#c9d6e8" : "#4a5868";
    const axisText = { color: ink, fontSize: large ? 15 : 11 };
    this.element.dataset.ready = "0";
    const labels = points.map(function (p) {
      if (period === "month") return p.date.slice(0, 7);
      return p.date.slice(5) === "12-31" ? p.date.slice(0, 4) : p.date;
    });
    this.chart.setOption(
      {
        backgroundColor: "transparent",
        tooltip: {
          trigger: "axis",
          // Our own HTML: ECharts' default markers carry style attributes, which the
          // Content-Security-Policy (style-src 'self') would block.
          formatter: function (params) {
            const rows = params.map(function (p) {
              const item = p.seriesIndex === 0 ? persons : incidence;
              return (
                escapeHTML(p.seriesName) +
                " <b>" +
                escapeHTML(format(p.value, item.decimals)) +
                "</b>" +
                escapeHTML(item.unit)
              );
            });
            return "<b>" + escapeHTML(params[0].axisValueLabel) + "</b><br>" + rows.join("<br>");
          },
        },
        toolbox: saveImage(meta, dark, 36), // left of the right axis's name
        legend: {
          top: 0,
          textStyle: { color: ink, fontSize: large ? 16 : 12 },
          data: [persons.label, incidence.label],
        },
        // Room at the top for the legend, the save button and the axis names apart.
        grid: { left: 8, right: 8, top: large ? 44 : 52, bottom: 4, containLabel: true },
        xAxis: { type: "category", data: labels, axisLabel: axisText },
        yAxis: [
          { type: "value", name: persons.unit, axisLabel: axisText, nameTextStyle: axisText },
          {
            type: "value",
            name: incidence.unit,
            axisLabel: axisText,
            nameTextStyle: axisText,
            splitLine: { show: false },
          },
        ],
        series: [
          {
            type: "bar",
            name: persons.label,
            itemStyle: { color: "#c0392b" },
            data: points.map(function (p) {
              return p.indicators.persons_poor;
            }),
          },
          {
            type: "line",
            name: incidence.label,
            yAxisIndex: 1,
            smooth: false,
            symbolSize: large ? 8 : 5,
            itemStyle: { color: "#e67e22" },
            lineStyle: { width: large ? 3 : 2 },
            data: points.map(function (p) {
              return p.indicators.poverty_incidence;
            }),
          },
        ],
      },
      { notMerge: true }
    );
  };

  window.Battlemap = {
    readJSON: readJSON,
    format: format,
    getJSON: getJSON,
    withParams: withParams,
    carryParams: carryParams,
    childLink: childLink,
    renderFigures: renderFigures,
    renderRanking: renderRanking,
    MapChart: MapChart,
    TrendChart: TrendChart,
  };
})();
