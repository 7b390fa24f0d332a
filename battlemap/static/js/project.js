/*
 * The project battle map: its milestones as a Gantt (a bar from start to deadline per
 * milestone, coloured by state: done green, due soon yellow, late red, open blue; a
 * diamond where it was done; a line on the day shown) and money allocated and paid over
 * time. Data comes from the page (json_script "project-data"); words from the server.
 */
(function () {
  "use strict";

  const COLORS = { done: "#31a354", due_soon: "#f0b429", late: "#de2d26", open: "#3182bd" };
  const DAY = 86400000;

  function time(iso) {
    const p = iso.split("-").map(Number);
    return Date.UTC(p[0], p[1] - 1, p[2]);
  }

  /* ECharts' save-as-image button, so a chart can go into a report. */
  function toolbox(data, side) {
    return {
      [side || "right"]: 0,
      top: 0,
      feature: { saveAsImage: { title: data.ui.saveImage, pixelRatio: 2, backgroundColor: "#ffffff" } },
    };
  }

  function gantt(element, data) {
    const chart = window.echarts.init(element);
    const rows = data.milestones;
    const names = rows.map(function (m) { return m.name + " · " + m.owner; });
    const bars = rows.map(function (m, i) {
      return {
        value: [i, time(m.start), time(m.due) + DAY, m.state],
        itemStyle: { color: COLORS[m.state] },
        name: m.name,
      };
    });
    const done = rows
      .map(function (m, i) { return m.done_on ? [time(m.done_on), i] : null; })
      .filter(Boolean);
    chart.setOption({
      animation: false,
      toolbox: toolbox(data, "left"),
      // Room above the bars for the day's label, so it never sits on the month labels.
      grid: { left: 150, right: 20, top: 30, bottom: 30 },
      tooltip: {
        formatter: function (p) {
          const m = rows[p.dataIndex];
          if (!m) return "";
          const text = document.createElement("div");
          text.textContent = m.name + "（" + m.owner + "） " + m.start + " — " + m.due +
            " · " + data.ui.states[m.state];
          return text.innerHTML;
        },
      },
      xAxis: { type: "time", position: "bottom", axisLabel: { hideOverlap: true } },
      yAxis: { type: "category", data: names, inverse: true, axisTick: { show: false } },
      series: [
        {
          type: "custom",
          renderItem: function (params, api) {
            const start = api.coord([api.value(1), api.value(0)]);
            const end = api.coord([api.value(2), api.value(0)]);
            const height = api.size([0, 1])[1] * 0.5;
            return {
              type: "rect",
              shape: { x: start[0], y: start[1] - height / 2, width: Math.max(2, end[0] - start[0]), height: height },
              style: api.style(),
            };
          },
          encode: { x: [1, 2], y: 0 },
          data: bars,
        },
        {
          type: "scatter",
          symbol: "diamond",
          symbolSize: 12,
          itemStyle: { color: "#222" },
          data: done,
          markLine: {
            symbol: "none",
            // Above the bars (the y axis runs downwards, so its start is the top), clear
            // of the month labels under the chart.
            label: { formatter: data.ui.today + " " + data.date.slice(5), position: "start", color: "#333" },
            lineStyle: { color: "#555", type: "dashed" },
            data: [{ xAxis: time(data.date) }],
          },
        },
      ],
    });
    element.dataset.drawn = String(rows.length);
    return chart;
  }

  function money(element, data) {
    const chart = window.echarts.init(element);
    /* Each step held until the day shown, so the lines reach it. */
    const step = function (key) {
      const points = data.money.map(function (m) { return [time(m.date), Number(m[key])]; });
      const last = points[points.length - 1];
      if (last && last[0] < time(data.date)) points.push([time(data.date), last[1]]);
      return points;
    };
    chart.setOption({
      animation: false,
      toolbox: toolbox(data),
      grid: { left: 8, right: 20, top: 44, bottom: 30, containLabel: true },
      legend: { top: 0, data: [data.ui.allocated, data.ui.paid] },
      tooltip: { trigger: "axis" },
      xAxis: { type: "time", axisLabel: { hideOverlap: true } },
      yAxis: { type: "value" },
      series: [
        { name: data.ui.allocated, type: "line", step: "end", data: step("allocated"), itemStyle: { color: "#3182bd" } },
        { name: data.ui.paid, type: "line", step: "end", data: step("paid"), areaStyle: { opacity: 0.2 }, itemStyle: { color: "#31a354" } },
      ],
    });
    return chart;
  }

  function init() {
    const source = document.getElementById("project-data");
    if (!source || !window.echarts) return;
    const data = JSON.parse(source.textContent);
    const charts = [];
    const g = document.getElementById("gantt-chart");
    if (g) charts.push(gantt(g, data));
    const m = document.getElementById("money-chart");
    if (m) charts.push(money(m, data));
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
