// DataHub portal: charts (ECharts) and lineage graphs (cytoscape + dagre) from JSON embedded in the page; re-run after
// htmx swaps. No inline scripts: the pages' Content-Security-Policy allows scripts from this origin only.
(function () {
  'use strict';

  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function charts(root) {
    if (typeof echarts === 'undefined') return;
    root.querySelectorAll('[data-chart]').forEach(function (el) {
      if (el.dataset.done) return;
      var data = readJson(el.dataset.chart);
      if (!data || !data.x || data.x.length === 0) { el.hidden = true; return; }
      el.dataset.done = '1';
      echarts.init(el, null, { renderer: 'svg' }).setOption({
        animation: false,
        tooltip: { trigger: 'axis' },
        legend: { type: 'scroll', bottom: 0 },
        grid: { left: 40, right: 16, top: 16, bottom: 48 },
        xAxis: { type: 'category', data: data.x },
        yAxis: { type: 'value', min: 0, max: 100 },
        series: data.series.map(function (s) { return { name: s.name, type: 'line', data: s.data, connectNulls: true }; })
      });
    });
  }

  function lineage(root) {
    if (typeof cytoscape === 'undefined') return;
    if (typeof cytoscapeDagre !== 'undefined' && !cytoscape.__dagre) { cytoscape.use(cytoscapeDagre); cytoscape.__dagre = true; }
    root.querySelectorAll('[data-lineage]').forEach(function (el) {
      if (el.dataset.done) return;
      el.dataset.done = '1';
      var elements = readJson(el.dataset.lineage) || [];
      var cy = cytoscape({
        container: el,
        elements: elements,
        wheelSensitivity: 0.3,
        style: [
          { selector: 'node', style: { 'label': 'data(label)', 'font-size': 10, 'text-valign': 'center', 'background-color': '#dbe7f5', 'shape': 'round-rectangle', 'width': 'label', 'padding': 6 } },
          { selector: 'node:parent', style: { 'text-valign': 'top', 'background-color': '#f3f6fa', 'border-color': '#9fb3c8', 'border-width': 1, 'font-weight': 'bold' } },
          { selector: 'node[kind = "focus"]', style: { 'border-color': '#0b5cad', 'border-width': 2 } },
          { selector: 'edge', style: { 'width': 1.5, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'line-color': '#7d8fa3', 'target-arrow-color': '#7d8fa3' } },
          { selector: 'edge[?masked]', style: { 'line-style': 'dashed', 'line-color': '#b3261e', 'target-arrow-color': '#b3261e' } }
        ],
        layout: { name: cytoscape.__dagre ? 'dagre' : 'breadthfirst', rankDir: 'LR', nodeSep: 12, rankSep: 60 }
      });
      // A dataset (a compound node) opens its own page: its lineage one hop further from there.
      cy.on('tap', 'node', function (e) {
        var href = e.target.data('href');
        if (href) window.location.href = href + '#lineage';
      });
      el.cy = cy;
    });
  }

  function init(root) { charts(root); lineage(root); }
  document.addEventListener('DOMContentLoaded', function () { init(document); });
  document.addEventListener('htmx:afterSwap', function (e) { init(e.target); });
})();
