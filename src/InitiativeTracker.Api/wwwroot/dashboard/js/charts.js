// Charts drawn as SVG by the page: a few lines and rectangles, coloured by classes in app.css.
import { format, h, label, s } from './dom.js';

let chartIds = 0;

/** Round numbers for an axis from 0 to at least max: 0, 5, 10, 15 or 0, 2000, 4000 … */
export function ticks(max, count = 4) {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= raw);
  const whole = Math.max(1, Math.round(step));
  const top = Math.ceil(max / whole) * whole;
  const values = [];
  for (let value = 0; value <= top; value += whole) values.push(value);
  return values;
}

const SERIES = [
  { key: 'total', name: 'Total' },
  { key: 'done', name: 'Done' },
  { key: 'overdue', name: 'Overdue' },
];

const INTERVAL_AXIS = { day: 'Day', week: 'Week ending', month: 'Month ending' };

/**
 * Done against total, and overdue, over time: one line each, a y axis of initiatives and an x axis of the
 * periods' last days. The legend carries the latest values, so the numbers are readable without hovering.
 */
export function trendChart(points, { title, interval }) {
  const id = `chart-${++chartIds}`;
  if (!points?.length) {
    return h('p', { class: 'empty' }, 'No history to draw yet.');
  }

  // Drawn at about the size it is shown in a card, so its 12px labels stay readable.
  const width = 360;
  const height = 210;
  const margin = { top: 10, right: 14, bottom: 42, left: 48 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const yTicks = ticks(Math.max(...points.map((p) => p.total)));
  const yMax = yTicks[yTicks.length - 1];
  const x = (i) => margin.left + (points.length === 1 ? plotWidth / 2 : (i * plotWidth) / (points.length - 1));
  const y = (v) => margin.top + plotHeight - (v / yMax) * plotHeight;

  const grid = yTicks.map((value) => s('g', { class: 'chart__tick' },
    s('line', { x1: margin.left, x2: width - margin.right, y1: y(value), y2: y(value) }),
    s('text', { x: margin.left - 8, y: y(value), 'text-anchor': 'end', 'dominant-baseline': 'middle' }, format.count(value))));

  const labelCount = Math.min(points.length, 5);
  const labelled = [...new Set(Array.from({ length: labelCount }, (_, i) =>
    Math.round((i * (points.length - 1)) / Math.max(1, labelCount - 1))))];
  const xLabels = labelled.map((i) => s('text', {
    class: 'chart__xlabel', x: x(i), y: margin.top + plotHeight + 17,
    'text-anchor': points.length === 1 ? 'middle' : i === 0 ? 'start' : i === points.length - 1 ? 'end' : 'middle',
  }, format.shortDate(points[i].date)));

  const lines = SERIES.map(({ key }) => s('polyline', {
    class: ['chart__line', `chart__line--${key}`],
    points: points.map((p, i) => `${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' '),
  }));

  const doneArea = s('polygon', {
    class: 'chart__area--done',
    points: [`${x(0).toFixed(1)},${y(0).toFixed(1)}`, ...points.map((p, i) => `${x(i).toFixed(1)},${y(p.done).toFixed(1)}`),
      `${x(points.length - 1).toFixed(1)},${y(0).toFixed(1)}`].join(' '),
  });

  const hoverTargets = points.map((p, i) => s('circle', { class: 'chart__point', cx: x(i), cy: y(p.done), r: 3 },
    s('title', {}, `${format.date(p.date)}: ${p.done} done of ${p.total}, ${p.overdue} overdue`)));

  const first = points[0];
  const last = points[points.length - 1];
  const description = `From ${format.date(first.date)} to ${format.date(last.date)}: done went from ${first.done} to ${last.done} `
    + `of ${last.total} initiatives; overdue went from ${first.overdue} to ${last.overdue}.`;

  const svg = s('svg', {
    class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${id}-title ${id}-desc`,
  },
  s('title', { id: `${id}-title` }, title),
  s('desc', { id: `${id}-desc` }, description),
  grid,
  s('line', { class: 'chart__axis', x1: margin.left, x2: width - margin.right, y1: y(0), y2: y(0) }),
  xLabels,
  s('text', { class: 'chart__axis-title', x: margin.left + plotWidth / 2, y: height - 4, 'text-anchor': 'middle' }, INTERVAL_AXIS[interval] ?? 'Date'),
  s('text', {
    class: 'chart__axis-title', x: -(margin.top + plotHeight / 2), y: 14, transform: 'rotate(-90)', 'text-anchor': 'middle',
  }, 'Initiatives'),
  doneArea,
  lines,
  hoverTargets);

  const legend = h('ul', { class: 'legend', 'aria-label': `Latest, ${format.date(last.date)}` },
    SERIES.map(({ key, name }) => h('li', { class: ['legend__item', `legend__item--${key}`] },
      h('span', { class: 'legend__swatch', 'aria-hidden': 'true' }), `${name} `, h('strong', {}, format.count(last[key])))));

  return h('figure', { class: 'trend' }, legend, svg);
}

const STATUSES = [
  ['planned', 'planned'], ['in_progress', 'inProgress'], ['blocked', 'blocked'], ['done', 'done'], ['cancelled', 'cancelled'],
];

/** Counts by status as one stacked bar and a legend with the numbers. */
export function statusBreakdown(row) {
  const total = row.total || 0;
  let offset = 0;
  const segments = [];
  for (const [status, field] of STATUSES) {
    const share = total ? (row[field] / total) * 100 : 0;
    if (share > 0) segments.push(s('rect', { class: `segment segment--${status}`, x: offset, y: 0, width: share, height: 10 }));
    offset += share;
  }
  const summary = STATUSES.map(([status, field]) => `${row[field]} ${label(status).toLowerCase()}`).join(', ');
  return h('div', { class: 'status' },
    s('svg', { class: 'status__bar', viewBox: '0 0 100 10', preserveAspectRatio: 'none', role: 'img', 'aria-label': `By status: ${summary}` },
      s('rect', { class: 'segment segment--empty', x: 0, y: 0, width: 100, height: 10 }), segments),
    h('ul', { class: 'status__legend' }, STATUSES.map(([status, field]) =>
      h('li', { 'data-status': status },
        h('span', { class: `legend__swatch segment--${status}`, 'aria-hidden': 'true' }),
        label(status), ' ', h('strong', { 'data-metric': field }, format.count(row[field]))))));
}
