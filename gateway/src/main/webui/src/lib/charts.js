// Charts with Apache ECharts (bundled from npm at build time), drawn as SVG in the page. Every chart has its SVG and
// PNG download and ECharts' ARIA description (a text summary of the series for screen readers).
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  AriaComponent, DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent,
  TooltipComponent, VisualMapComponent,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { download, h } from './dom.js';

echarts.use([BarChart, HeatmapChart, LineChart, ScatterChart, AriaComponent, DataZoomComponent, GridComponent,
  LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

/** Colour-blind-safe categorical palette (Okabe–Ito), readable on white. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#8c6d00',
  '#7a4bb3', '#3f7f3f', '#b3003b', '#005b5b'];

const live = new Set();
/** Containers waiting to be attached; those of a page that was left are given up. */
let pending = new Set();
let disposed = new WeakSet();

/** Disposes the charts of the page being left (and gives up drawing those not shown yet). */
export function disposeCharts() {
  for (const chart of live) chart.dispose();
  live.clear();
  for (const box of pending) disposed.add(box);
  pending = new Set();
}

window.addEventListener('resize', () => live.forEach((c) => c.resize()));

/**
 * A figure: the chart, its caption, and SVG/PNG downloads. option: an ECharts option; describe: the ARIA label.
 */
export function chartFigure({ id, title, caption, option, height = 420, filename }) {
  const box = h(`div.chart#${id}`, { style: { height: `${height}px` }, role: 'img', 'aria-label': title });
  const name = filename ?? id;
  const figure = h('figure.chart-block', {},
    h('div.table-tools', {},
      h('button', { type: 'button', onclick: () => saveSvg(chart, name), 'aria-label': `Download ${title} as SVG` }, 'SVG'),
      h('button', { type: 'button', onclick: () => savePng(chart, name), 'aria-label': `Download ${title} as PNG` }, 'PNG')),
    box,
    h('figcaption', {}, h('strong', {}, title), caption ? ` ${caption}` : ''));
  let chart;
  // drawn once the figure is in the document: ECharts measures its container
  const draw = () => {
    if (!box.isConnected) {
      if (!disposed.has(box)) requestAnimationFrame(draw);
      return;
    }
    chart = echarts.init(box, null, { renderer: 'svg' });
    chart.setOption({
      aria: { enabled: true, label: { description: title } },
      color: PALETTE,
      textStyle: { fontFamily: 'system-ui, sans-serif', color: '#1a1a1a' },
      animation: false,
      ...option,
      // tooltips drawn as chart text, never as HTML: a formatter's string is not markup
      ...(option.tooltip ? { tooltip: { renderMode: 'richText', ...option.tooltip } } : {}),
    });
    live.add(chart);
  };
  pending.add(box);
  requestAnimationFrame(draw);
  return figure;
}

function saveSvg(chart, name) {
  download(`${name}.svg`, 'image/svg+xml', chart.renderToSVGString());
}

/** PNG at twice the shown size, on white: the SVG drawn onto a canvas. */
function savePng(chart, name) {
  const svg = chart.renderToSVGString();
  const width = chart.getWidth() * 2, height = chart.getHeight() * 2;
  const img = new Image();
  img.onload = () => {
    const canvas = h('canvas', { width, height });
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(img, 0, 0, width, height);
    canvas.toBlob((blob) => download(`${name}.png`, 'image/png', blob), 'image/png');
  };
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
