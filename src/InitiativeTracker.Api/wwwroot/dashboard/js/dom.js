// Building DOM without innerHTML: text is always text (names come from the API), and nothing here
// writes a style attribute, which the Content-Security-Policy (style-src 'self') would block.

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

function assign(element, attributes) {
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'class' && Array.isArray(value)) {
      element.setAttribute('class', value.filter(Boolean).join(' '));
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  return element;
}

/** An HTML element: h('a', { href: '#/' }, 'Overview'). */
export function h(tag, attributes, ...children) {
  return append(assign(document.createElement(tag), attributes), children);
}

/** An SVG element, for the charts. */
export function s(tag, attributes, ...children) {
  return append(assign(document.createElementNS(SVG_NS, tag), attributes), children);
}

const integer = new Intl.NumberFormat('en');
const oneDecimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 0 });
// Dates are written '5 Jun 2023' whatever the browser's locale, as in the reports people compare them with.
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const dayMonth = (iso) => `${Number(iso.slice(8, 10))} ${MONTHS[Number(iso.slice(5, 7)) - 1]}`;
const timestampFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
});

export const format = {
  count: (n) => (n === null || n === undefined ? '–' : integer.format(n)),
  /** Mean progress, 0–100. */
  progress: (n) => (n === null || n === undefined ? '–' : `${oneDecimal.format(n)}%`),
  /** A fraction 0–1 (on-time rate); null when nothing was completed. */
  rate: (n) => (n === null || n === undefined ? '–' : percent.format(n)),
  /** A yyyy-MM-dd date as '5 Jun 2023'. */
  date: (iso) => (iso ? `${dayMonth(iso)} ${iso.slice(0, 4)}` : '–'),
  shortDate: (iso) => dayMonth(iso),
  /** A UTC timestamp in the reader's own zone. */
  timestamp: (iso) => (iso ? timestampFormat.format(new Date(iso)) : '–'),
  /** Days since something: 'today', '1 day ago', '20 days ago'. */
  ago: (n) => (n === null || n === undefined ? '–' : n === 0 ? 'today' : `${integer.format(n)} ${n === 1 ? 'day' : 'days'} ago`),
  days: (n) => (n === null || n === undefined ? '–' : `${integer.format(n)} ${Math.abs(n) === 1 ? 'day' : 'days'}`),
};

const words = {
  planned: 'Planned', in_progress: 'In progress', blocked: 'Blocked', done: 'Done', cancelled: 'Cancelled',
  on_track: 'On track', at_risk: 'At risk', off_track: 'Off track',
};

/** 'in_progress' → 'In progress'. */
export const label = (value) => words[value] ?? value;

/** A status or health badge, coloured by a class of its value. */
export const badge = (value) => h('span', { class: ['badge', `badge--${value}`] }, label(value));

/** A horizontal bar for a share 0–1, drawn as SVG (no style attribute). */
export function bar(share, modifier, accessibleLabel) {
  const width = Math.max(0, Math.min(1, share ?? 0)) * 100;
  return s('svg', { class: ['bar', modifier && `bar--${modifier}`], viewBox: '0 0 100 8', preserveAspectRatio: 'none', role: 'img', 'aria-label': accessibleLabel },
    s('rect', { class: 'bar__track', x: 0, y: 0, width: 100, height: 8, rx: 4 }),
    width > 0 ? s('rect', { class: 'bar__fill', x: 0, y: 0, width, height: 8, rx: 4 }) : null);
}

/** Replaces a container's content. */
export function show(container, ...children) {
  container.replaceChildren();
  return append(container, children);
}
