// pfmeter billing pages: draws a bill's 5-minute rates with uPlot. Loaded from the daemon itself
// (Content-Security-Policy script-src 'self'); the samples come from the page's JSON data block.
(function () {
  'use strict';

  function rateOf(secs) {
    return function (bytes) { return bytes === null ? null : bytes * 8 / secs; };
  }

  function bits(v) {
    if (v === null || v === undefined) { return ''; }
    var units = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'];
    var i = 0;
    while (Math.abs(v) >= 1000 && i < units.length - 1) { v /= 1000; i++; }
    return (Math.round(v * 100) / 100) + ' ' + units[i];
  }

  function flat(t, v) {
    return t.map(function () { return v; });
  }

  function draw() {
    var el = document.getElementById('chart');
    var src = document.getElementById('usage-data');
    if (!el || !src) { return; }
    var d = JSON.parse(src.textContent);
    var rate = rateOf(d.slot_seconds);
    var data = [d.t, d['in'].map(rate), d.out.map(rate)];
    var series = [
      {},
      { label: 'in', stroke: '#1f77b4', width: 1, value: function (u, v) { return bits(v); } },
      { label: 'out', stroke: '#e377c2', width: 1, value: function (u, v) { return bits(v); } }
    ];
    if (el.dataset.p95 !== undefined) {
      data.push(flat(d.t, Number(el.dataset.p95)));
      series.push({ label: '95th percentile', stroke: '#d62728', width: 2, dash: [6, 4], points: { show: false },
        value: function (u, v) { return bits(v); } });
    }
    if (el.dataset.commit !== undefined) {
      data.push(flat(d.t, Number(el.dataset.commit)));
      series.push({ label: 'commit', stroke: '#2ca02c', width: 2, points: { show: false },
        value: function (u, v) { return bits(v); } });
    }
    function size() {
      var w = Math.max(260, el.clientWidth);
      return { width: w, height: Math.max(180, Math.min(360, Math.round(w * 0.55))) };
    }
    var s = size();
    var u = new uPlot({
      width: s.width,
      height: s.height,
      series: series,
      scales: { x: { time: true } },
      axes: [{}, { size: 72, values: function (u, vals) { return vals.map(bits); } }]
    }, data, el);
    // read back by the browser test: the points the chart draws
    el.pfChart = u;
    window.addEventListener('resize', function () { u.setSize(size()); });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw);
  } else {
    draw();
  }
}());
