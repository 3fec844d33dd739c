// The execution scorecard: who delivers on time, per task force, owner or direction.
import { cached, getJson } from '../api.js';
import { bar, format, h, show } from '../dom.js';
import { loading, viewHeader } from './common.js';

const GROUPINGS = [['taskForce', 'Task forces'], ['owner', 'Owners'], ['direction', 'Directions']];
const SORTS = [['name', 'Name'], ['onTimeRate', 'On-time rate, lowest first'], ['openOverdue', 'Open overdue, most first']];
// The report answers every group at once; the page shows them in pages so thousands of owners stay readable.
const PAGE_SIZE = 50;

function sorted(groups, sort) {
  const list = [...groups];
  if (sort === 'onTimeRate') list.sort((a, b) => (a.onTimeRate ?? 2) - (b.onTimeRate ?? 2));
  else if (sort === 'openOverdue') list.sort((a, b) => b.openOverdue - a.openOverdue);
  return list;
}

export async function renderScorecard(main, { params, isCurrent, navigate }) {
  const groupBy = GROUPINGS.some(([value]) => value === params.get('groupBy')) ? params.get('groupBy') : 'taskForce';
  const sort = params.get('sort') ?? 'name';
  const directionId = params.get('directionId') ?? '';
  const page = Number(params.get('page') ?? 1) || 1;
  const title = viewHeader('Execution scorecard', 'Completed on time against the deadline in force, and what is still open.');
  show(main, title, loading('the scorecard'));

  const [report, directions] = await Promise.all([
    getJson('/reports/execution', { groupBy, directionId }),
    cached('/directions', { pageSize: 200 }),
  ]);
  if (!isCurrent()) return;

  const here = (changes) => ({ groupBy, sort, directionId, ...changes });
  const tabs = h('nav', { class: 'tabs', 'aria-label': 'Group the scorecard by' },
    GROUPINGS.map(([value, text]) => h('a', {
      href: `#/scorecard?${new URLSearchParams(Object.entries(here({ groupBy: value })).filter(([, v]) => v))}`,
      class: 'tabs__tab', 'aria-current': value === groupBy ? 'page' : null,
    }, text)));

  const form = h('form', {
    class: 'filters', 'aria-label': 'Scorecard options',
    onsubmit: (event) => {
      event.preventDefault();
      const data = new FormData(event.target);
      navigate('/scorecard', here({ directionId: data.get('directionId'), sort: data.get('sort') }));
    },
  },
  h('div', { class: 'field' }, h('label', { for: 'score-direction' }, 'Direction'),
    h('select', { id: 'score-direction', name: 'directionId' },
      [['', 'All directions'], ...directions.items.map((d) => [d.id, `${d.number}. ${d.title}`])].map(([value, text]) =>
        h('option', { value, selected: String(value) === directionId }, text)))),
  h('div', { class: 'field' }, h('label', { for: 'score-sort' }, 'Sort by'),
    h('select', { id: 'score-sort', name: 'sort' }, SORTS.map(([value, text]) => h('option', { value, selected: value === sort }, text)))),
  h('div', { class: 'field field--actions' }, h('button', { type: 'submit', class: 'button button--primary' }, 'Apply')));

  const groups = sorted(report.groups, sort);
  const pages = Math.max(1, Math.ceil(groups.length / PAGE_SIZE));
  const shown = groups.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const name = GROUPINGS.find(([value]) => value === groupBy)[1];
  const cell = (label, content, numeric) => h('td', { 'data-label': label, class: numeric ? 'number' : null }, content);

  const table = shown.length
    ? h('div', { class: 'table-wrap', role: 'region', 'aria-label': `Scorecard by ${name.toLowerCase()}`, tabindex: '0' },
      h('table', { class: 'table table--scorecard', id: 'scorecard-table' },
        h('caption', { class: 'visually-hidden' }, `Execution scorecard by ${name.toLowerCase()}`),
        h('thead', {}, h('tr', {},
          ['', 'Completed', 'On time', 'On-time rate', 'By original deadline', 'Median days late', 'Open', 'Open overdue', 'Deadline moves', 'Stale']
            .map((text, i) => h('th', { scope: 'col', class: i > 0 ? 'number' : null }, i === 0 ? name.replace(/s$/, '') : text)))),
        h('tbody', {}, shown.map((g) => h('tr', { 'data-group-id': g.groupId ?? '' },
          h('th', { scope: 'row', 'data-label': name.replace(/s$/, '') }, g.groupName ?? 'No task force'),
          cell('Completed', format.count(g.completed), true),
          cell('On time', format.count(g.completedOnTime), true),
          cell('On-time rate', h('span', { class: 'progress-cell' }, format.rate(g.onTimeRate),
            bar(g.onTimeRate, g.onTimeRate === null ? 'none' : g.onTimeRate < 0.5 ? 'low' : 'rate', `On-time rate ${format.rate(g.onTimeRate)}`)), true),
          cell('By original deadline', format.count(g.completedByOriginalDeadline), true),
          cell('Median days late', g.medianDaysLate === null ? '–' : format.count(g.medianDaysLate), true),
          cell('Open', format.count(g.open), true),
          h('td', { 'data-label': 'Open overdue', class: ['number', g.openOverdue > 0 && 'number--alert'] }, format.count(g.openOverdue)),
          cell('Deadline moves', format.count(g.deadlineChanges), true),
          cell('Stale', format.count(g.staleInitiatives), true))))))
    : h('p', { class: 'empty' }, 'No groups to score yet.');

  const position = (target, text, rel) => h('a', { class: 'button', rel, href: `#/scorecard?${new URLSearchParams(Object.entries(here({ page: target })).filter(([, v]) => v))}` }, text);
  show(main, title, tabs, form,
    h('p', { class: 'result-count' }, h('strong', {}, format.count(groups.length)), ` ${name.toLowerCase()} · as of ${format.date(report.asOf)}`,
      ` · stale: no check-in for ${report.staleAfterDays} days`),
    table,
    pages > 1 ? h('nav', { class: 'pager', 'aria-label': 'Pages of the scorecard' },
      page > 1 ? position(page - 1, '← Previous', 'prev') : null,
      h('span', { class: 'pager__position' }, `Page ${page} of ${pages}`),
      page < pages ? position(page + 1, 'Next →', 'next') : null) : null);
}
