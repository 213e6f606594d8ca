"use strict";
// Polls /api/run and redraws the page from that JSON alone; no library, nothing fetched from elsewhere.
(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const refresh = Number(new URLSearchParams(location.search).get("refresh")) || 1000;
  const $ = (id) => document.getElementById(id);
  const number = (n) => (n === null || n === undefined) ? "?" : Number(n).toLocaleString("en-US");
  const fixed = (n, digits) => Number(n).toFixed(digits);

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return "unknown";
    const s = Math.round(seconds);
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return h > 0 ? h + "h" + String(m).padStart(2, "0") + "m" : m > 0 ? m + "m" + String(r).padStart(2, "0") + "s" : r + "s";
  }

  function cell(row, text, numeric) {
    const td = row.insertCell();
    td.textContent = text;
    if (numeric) td.className = "n";
    return td;
  }

  function table(id, entries, empty) {
    const t = $(id);
    t.replaceChildren();
    if (entries.length === 0) {
      cell(t.insertRow(), empty).className = "empty";
      return;
    }
    for (const [name, value] of entries) {
      const row = t.insertRow();
      cell(row, name);
      cell(row, typeof value === "number" ? number(value) : String(value), true);
    }
  }

  const byCount = (map) => Object.entries(map || {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

  function alerts(list) {
    const ul = $("alerts");
    ul.replaceChildren();
    for (const alert of list) {
      const li = document.createElement("li");
      li.dataset.alert = alert.name;
      li.className = alert.active ? "on" : alert.raised ? "was" : "off";
      const name = alert.name.replace("_", " ");
      li.textContent = alert.active || alert.raised ? alert.message + (alert.active ? "" : " (earlier)") : name + ": ok";
      ul.appendChild(li);
    }
    if (list.length === 0) {
      const li = document.createElement("li");
      li.textContent = "not checked yet";
      ul.appendChild(li);
    }
  }

  function chart(points) {
    const svg = $("chart");
    const w = Math.max(200, svg.clientWidth || 800), h = 200, left = 44, bottom = 18;
    svg.setAttribute("viewBox", "0 0 " + w + " " + h);
    svg.replaceChildren();
    const rates = [];
    for (let i = 1; i < points.length; i++) {
      const dt = points[i][0] - points[i - 1][0];
      if (dt > 0) rates.push([points[i][0], (points[i][1] - points[i - 1][1]) / dt]);
    }
    const el = (name, attrs, text) => {
      const e = document.createElementNS(SVG, name);
      for (const k in attrs) e.setAttribute(k, attrs[k]);
      if (text !== undefined) e.textContent = text;
      svg.appendChild(e);
      return e;
    };
    el("line", {x1: left, y1: h - bottom, x2: w, y2: h - bottom, class: "axis"});
    el("line", {x1: left, y1: 4, x2: left, y2: h - bottom, class: "axis"});
    if (rates.length === 0) {
      el("text", {x: left + 8, y: h / 2}, "waiting for the first samples");
      return;
    }
    const tMax = Math.max(rates[rates.length - 1][0], 1), tMin = rates.length > 1 ? rates[0][0] : 0;
    const yMax = Math.max(1, ...rates.map((r) => r[1])) * 1.1;
    const x = (t) => left + (w - left - 4) * (tMax === tMin ? 1 : (t - tMin) / (tMax - tMin));
    const y = (v) => (h - bottom) - (h - bottom - 4) * (v / yMax);
    const line = rates.map((r, i) => (i ? "L" : "M") + fixed(x(r[0]), 1) + "," + fixed(y(r[1]), 1)).join(" ");
    el("path", {d: line + " L" + fixed(x(tMax), 1) + "," + (h - bottom) + " L" + fixed(x(rates[0][0]), 1) + "," + (h - bottom) + " Z", class: "area"});
    el("path", {d: line, class: "line"});
    el("text", {x: 2, y: 12}, fixed(yMax, yMax < 10 ? 1 : 0));
    el("text", {x: 2, y: h - bottom}, "0");
    el("text", {x: left, y: h - 4}, duration(tMin));
    el("text", {x: w - 40, y: h - 4}, duration(tMax));
  }

  function render(run) {
    const state = $("state");
    state.textContent = run.state;
    state.className = "state " + run.state;
    $("engine").textContent = run.engine + " engine, " + run.workers + " workers";
    $("updated").textContent = new Date().toLocaleTimeString("en-GB");
    $("done").textContent = number(run.done);
    $("total").textContent = number(run.total);
    const share = run.total ? Math.min(100, 100 * run.done / run.total) : (run.state === "finished" ? 100 : 0);
    $("progress-bar").style.width = fixed(share, 1) + "%";
    $("eta").textContent = run.state === "finished" ? "done" : duration(run.etaSeconds);
    $("elapsed").textContent = duration(run.elapsedSeconds);
    $("rate").textContent = fixed(run.documentsPerSecond, 1);
    $("recent-rate").textContent = fixed(run.recentDocumentsPerSecond, 1);
    $("pages-rate").textContent = fixed(run.pagesPerSecond, 1);
    $("in-flight").textContent = number(run.inFlight) + " (" + fixed(100 * run.workerUtilisation, 0) + "% of " + run.workers + " workers busy)";
    $("queue-depth").textContent = number(run.queueDepth);
    alerts(run.alerts);
    chart(run.throughput);
    table("outcomes", [["classified", run.classified], ["failed", run.failed], ["duplicates", run.duplicates],
      ["skipped (resume)", run.skipped], ["pages", run.pages], ["pages OCRed", run.ocrPages], ["failure rate %", fixed(100 * run.failureRate, 1)]], "");
    table("labels", byCount(run.byLabel), "none yet");
    table("reasons", byCount(run.failuresByReason), "none");
    const members = byCount(run.members);
    for (const [member, bytes] of Object.entries(run.memory || {})) members.push([member + " heap MB", Math.round(bytes / 1e6)]);
    for (const [pool, use] of Object.entries(run.dbPools || {})) members.push([pool + " connections", (use.active ?? "?") + " / " + (use.max ?? "?")]);
    table("members", members, "no worker has recorded yet");
    const failures = $("failures");
    failures.replaceChildren();
    if (run.recentFailures.length === 0) cell(failures.insertRow(), "none").className = "empty";
    for (const f of run.recentFailures) {
      const row = failures.insertRow();
      cell(row, f.at.substring(11, 19));
      cell(row, f.stage + "/" + f.reason);
      cell(row, f.path);
      cell(row, f.message);
    }
  }

  async function poll() {
    try {
      const response = await fetch("api/run", {cache: "no-store"});
      if (!response.ok) throw new Error("HTTP " + response.status);
      render(await response.json());
    } catch (e) {
      const state = $("state");
      state.textContent = "unreachable";
      state.className = "state unreachable";
    }
    setTimeout(poll, refresh);
  }

  poll();
})();
