// The overdue report: its filters and grouping, one page at a time, and its CSV.
import { ApiError, cached, getCsv, getJson } from '../api.js';
import { badge, bar, format, h, show } from '../dom.js';
import { initiativeLink, loading, viewHeader } from './common.js';

const PAGE_SIZE = 50;
const FILTERS = ['directionId', 'taskForceId', 'ownerId', 'groupBy', 'asOf'];
const GROUPS = [['', 'No grouping'], ['direction', 'Direction'], ['taskForce', 'Task force'], ['owner', 'Owner']];
const GROUP_KEY = { direction: 'directionId', taskForce: 'taskForceId', owner: 'ownerId' };

const COLUMNS = ['Initiative', 'Direction', 'Owner', 'Task force', 'Deadline', 'Days overdue', 'Progress', 'Status', 'Health', 'Last check-in'];

function select(id, text, value, options) {
  return h('div', { class: 'field' },
    h('label', { for: id }, text),
    h('select', { id, name: id }, options.map(([optionValue, optionText]) =>
      h('option', { value: optionValue, selected: String(optionValue) === (value ?? '') }, optionText))));
}

function row(item) {
  const cell = (name, ...content) => h('td', { 'data-label': name }, content);
  return h('tr', { 'data-initiative-id': item.initiativeId },
    h('th', { scope: 'row', 'data-label': 'Initiative' }, initiativeLink(item.initiativeId, item.title)),
    cell('Direction', h('span', { class: 'direction-number', title: item.directionTitle }, item.directionNumber)),
    cell('Owner', h('a', { href: `#/overdue?ownerId=${item.ownerId}`, title: `Only ${item.ownerName}'s overdue initiatives` }, item.ownerName)),
    cell('Task force', item.taskForceName ?? '–'),
    cell('Deadline', h('time', { datetime: item.deadline }, format.date(item.deadline))),
    h('td', { 'data-label': 'Days overdue', class: 'number number--alert' }, format.count(item.daysOverdue)),
    h('td', { 'data-label': 'Progress', class: 'number' },
      h('span', { class: 'progress-cell' }, `${item.progress}%`, bar(item.progress / 100, 'progress', `${item.progress}%`))),
    cell('Status', badge(item.status)),
    cell('Health', badge(item.health)),
    cell('Last check-in', item.lastCheckInAt
      ? format.ago(item.daysSinceLastCheckIn)
      : h('span', { class: 'muted' }, 'never')));
}

function rows(report, groupBy) {
  if (!groupBy) return h('tbody', {}, report.items.map(row));
  const key = GROUP_KEY[groupBy];
  const groups = new Map((report.groups ?? []).map((g) => [g.groupId, g]));
  const bodies = [];
  let current;
  for (const item of report.items) {
    const groupId = item[key] ?? null;
    if (!current || current.groupId !== groupId) {
      const group = groups.get(groupId);
      const name = group?.groupName ?? (groupBy === 'taskForce' ? 'No task force' : '–');
      current = { groupId, body: h('tbody', { class: 'group', 'data-group-id': groupId ?? '' },
        h('tr', { class: 'group__header' }, h('th', { colspan: COLUMNS.length, scope: 'rowgroup' },
          name, h('span', { class: 'group__count' }, ` ${format.count(group?.count)} overdue`)))) };
      bodies.push(current.body);
    }
    current.body.append(row(item));
  }
  return bodies;
}

function pager(report, params) {
  const pages = Math.max(1, Math.ceil(report.totalCount / report.pageSize));
  const link = (page, text, rel) => {
    const query = new URLSearchParams(params);
    query.set('page', page);
    return h('a', { class: 'button', href: `#/overdue?${query}`, rel }, text);
  };
  return h('nav', { class: 'pager', 'aria-label': 'Pages of the overdue report' },
    report.page > 1 ? link(report.page - 1, '← Previous', 'prev') : null,
    h('span', { class: 'pager__position' }, `Page ${report.page} of ${pages}`),
    report.page < pages ? link(report.page + 1, 'Next →', 'next') : null);
}

/** Fetches the CSV with the key in its header (a plain link cannot carry it) and hands it over as a download. */
async function downloadCsv(filters, button, status) {
  button.disabled = true;
  show(status, 'Preparing the CSV…');
  try {
    const { blob, name } = await getCsv('/reports/overdue', filters);
    const url = URL.createObjectURL(blob);
    const link = h('a', { href: url, download: name, class: 'visually-hidden' }, name);
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    show(status, `Downloaded ${name}.`);
  } catch (error) {
    show(status, error instanceof ApiError ? `The CSV could not be fetched: ${error.message}` : String(error));
  } finally {
    button.disabled = false;
  }
}

let lastTable = '#/overdue';

/** The overdue table as last shown (its filters and page), for the way back from an initiative. */
export const overdueAddress = () => lastTable;

export async function renderOverdue(main, { params, isCurrent, navigate }) {
  lastTable = location.hash || '#/overdue';
  const filters = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? '']));
  const page = Number(params.get('page') ?? 1) || 1;
  show(main, viewHeader('Overdue initiatives', 'Open initiatives past their deadline, most overdue first.'), loading('the overdue report'));

  const [report, directions, taskForces, owner] = await Promise.all([
    getJson('/reports/overdue', { ...filters, page, pageSize: PAGE_SIZE }),
    cached('/directions', { pageSize: 200 }),
    cached('/task-forces', { pageSize: 200, sort: 'name' }),
    filters.ownerId ? cached(`/owners/${filters.ownerId}`) : null,
  ]);
  if (!isCurrent()) return;

  const form = h('form', {
    class: 'filters', 'aria-label': 'Filters',
    onsubmit: (event) => {
      event.preventDefault();
      const data = new FormData(event.target);
      navigate('/overdue', Object.fromEntries(FILTERS.map((name) => [name, data.get(name) ?? (name === 'ownerId' ? filters.ownerId : '')])));
    },
  },
  select('directionId', 'Direction', filters.directionId,
    [['', 'All directions'], ...directions.items.map((d) => [d.id, `${d.number}. ${d.title}`])]),
  select('taskForceId', 'Task force', filters.taskForceId,
    [['', 'All task forces'], ...taskForces.items.map((t) => [t.id, t.name])]),
  select('groupBy', 'Group by', filters.groupBy, GROUPS),
  h('div', { class: 'field' }, h('label', { for: 'asOf' }, 'As of'), h('input', { id: 'asOf', name: 'asOf', type: 'date', value: filters.asOf })),
  owner ? h('div', { class: 'field field--chip' },
    h('span', { class: 'field__label' }, 'Owner'),
    h('span', { class: 'chip' }, owner.name,
      h('a', { href: `#/overdue?${new URLSearchParams(Object.entries({ ...filters, ownerId: '' }).filter(([, v]) => v))}`, class: 'chip__remove', 'aria-label': `Remove the owner filter (${owner.name})` }, '×')),
    h('input', { type: 'hidden', name: 'ownerId', value: filters.ownerId })) : null,
  h('div', { class: 'field field--actions' },
    h('button', { type: 'submit', class: 'button button--primary' }, 'Apply'),
    h('a', { href: '#/overdue', class: 'button button--quiet' }, 'Reset')));

  const csvStatus = h('span', { class: 'hint', role: 'status' });
  const csvButton = h('button', { type: 'button', class: 'button', id: 'download-csv' }, 'Download CSV');
  csvButton.addEventListener('click', () => downloadCsv(filters, csvButton, csvStatus));

  const count = h('p', { class: 'result-count', 'data-total': report.totalCount },
    h('strong', {}, format.count(report.totalCount)), report.totalCount === 1 ? ' initiative overdue' : ' initiatives overdue',
    ` as of ${format.date(report.asOf)}`);

  const table = report.items.length
    ? h('div', { class: 'table-wrap', role: 'region', 'aria-label': 'Overdue initiatives', tabindex: '0' },
      h('table', { class: 'table table--overdue', id: 'overdue-table' },
        h('caption', { class: 'visually-hidden' }, 'Overdue initiatives, most overdue first'),
        h('thead', {}, h('tr', {}, COLUMNS.map((name) => h('th', { scope: 'col' }, name)))),
        rows(report, filters.groupBy)))
    : h('p', { class: 'empty', id: 'overdue-empty' }, report.totalCount
      ? 'This page is past the last one.'
      : 'Nothing is overdue with these filters.');

  const query = Object.fromEntries(Object.entries(filters).filter(([, v]) => v));
  show(main,
    viewHeader('Overdue initiatives', 'Open initiatives past their deadline, most overdue first.'),
    form,
    h('div', { class: 'toolbar' }, count, h('div', { class: 'toolbar__actions' }, csvButton, csvStatus)),
    table,
    report.totalCount > report.pageSize ? pager(report, query) : null);
}
