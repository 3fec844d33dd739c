// One initiative: its fields, its check-in timeline and its deadline moves.
import { cached, getJson } from '../api.js';
import { badge, bar, format, h, show } from '../dom.js';
import { loading } from './common.js';
import { overdueAddress } from './overdue.js';

const PAGE_SIZE = 50;

function field(name, ...value) {
  return h('div', { class: 'field-row' }, h('dt', {}, name), h('dd', {}, value));
}

function checkIn(item) {
  const changed = item.previousStatus && item.previousStatus !== item.status;
  return h('li', { class: 'timeline__item', 'data-check-in-id': item.id },
    h('span', { class: ['timeline__dot', `timeline__dot--${item.health}`], 'aria-hidden': 'true' }),
    h('div', { class: 'timeline__body' },
      h('p', { class: 'timeline__when' }, h('time', { datetime: item.reportedAt }, format.timestamp(item.reportedAt)), ` · ${item.reportedBy}`),
      h('p', { class: 'timeline__what' },
        h('strong', { class: 'timeline__progress' }, `${item.progress}%`), ' ',
        changed ? [badge(item.previousStatus), ' → '] : null, badge(item.status), ' ', badge(item.health)),
      item.note ? h('p', { class: 'timeline__note' }, item.note) : null));
}

function deadlineMoves(changes) {
  if (!changes.items.length) return h('p', { class: 'empty' }, 'The deadline has not moved.');
  const days = (from, to) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
  return h('div', { class: 'table-wrap', role: 'region', 'aria-label': 'Deadline moves', tabindex: '0' },
    h('table', { class: 'table table--moves', id: 'deadline-moves' },
      h('thead', {}, h('tr', {}, ['From', 'To', 'Shift', 'Reason', 'By', 'When'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, changes.items.map((c) => {
        const shift = days(c.from, c.to);
        return h('tr', { 'data-deadline-change-id': c.id },
          h('td', { 'data-label': 'From' }, format.date(c.from)),
          h('td', { 'data-label': 'To' }, format.date(c.to)),
          h('td', { 'data-label': 'Shift', class: 'number' }, `${shift > 0 ? '+' : ''}${format.days(shift)}`),
          h('td', { 'data-label': 'Reason' }, c.reason),
          h('td', { 'data-label': 'By' }, c.changedBy),
          h('td', { 'data-label': 'When' }, format.timestamp(c.changedAt)));
      }))));
}

export async function renderInitiative(main, { match, isCurrent }) {
  const id = match[1];
  show(main, loading('the initiative'));
  const [initiative, checkIns, changes] = await Promise.all([
    getJson(`/initiatives/${id}`),
    getJson(`/initiatives/${id}/check-ins`, { pageSize: PAGE_SIZE }),
    getJson(`/initiatives/${id}/deadline-changes`, { pageSize: PAGE_SIZE }),
  ]);
  const [direction, owner, taskForce] = await Promise.all([
    cached(`/directions/${initiative.directionId}`),
    cached(`/owners/${initiative.ownerId}`),
    initiative.taskForceId ? cached(`/task-forces/${initiative.taskForceId}`) : null,
  ]);
  if (!isCurrent()) return;

  const timing = initiative.completedOn
    ? `Done on ${format.date(initiative.completedOn)}`
    : initiative.isOverdue ? `${format.days(initiative.daysOverdue)} overdue`
      : initiative.daysUntilDeadline !== null ? `Due in ${format.days(initiative.daysUntilDeadline)}` : '';

  const timeline = h('ol', { class: 'timeline', id: 'check-ins' }, checkIns.items.map(checkIn));
  let loaded = checkIns.items.length;
  let page = 1;
  const more = h('button', { type: 'button', class: 'button' }, 'Show older check-ins');
  more.addEventListener('click', async () => {
    more.disabled = true;
    const next = await getJson(`/initiatives/${id}/check-ins`, { pageSize: PAGE_SIZE, page: ++page });
    timeline.append(...next.items.map(checkIn));
    loaded += next.items.length;
    if (loaded >= next.totalCount) more.remove();
    else more.disabled = false;
  });

  show(main,
    h('p', { class: 'back' }, h('a', { href: overdueAddress() }, '← Overdue initiatives')),
    h('article', { class: 'initiative', 'data-initiative-id': initiative.id, 'aria-labelledby': 'initiative-title' },
      h('div', { class: 'view-header' },
        h('p', { class: 'eyebrow' }, `Direction ${direction.number} · ${direction.title}`),
        h('h2', { id: 'initiative-title' }, initiative.title),
        h('p', { class: 'initiative__status' }, badge(initiative.status), ' ', badge(initiative.health), ' ',
          h('span', { class: ['timing', initiative.isOverdue && 'timing--overdue'] }, timing))),
      h('div', { class: 'initiative__progress' },
        h('span', { class: 'initiative__percent', 'data-metric': 'progress' }, `${initiative.progress}%`),
        bar(initiative.progress / 100, 'progress', `Progress ${initiative.progress}%`)),
      initiative.description ? h('p', { class: 'initiative__description' }, initiative.description) : null,
      h('dl', { class: 'fields' },
        field('Owner', owner.name, owner.unit ? h('span', { class: 'muted' }, ` · ${owner.unit}`) : null),
        field('Task force', taskForce?.name ?? '–'),
        field('Start', format.date(initiative.startDate)),
        field('Deadline', format.date(initiative.deadline)),
        field('Original deadline', format.date(initiative.originalDeadline)),
        field('Completed', format.date(initiative.completedOn)),
        field('Last check-in', format.timestamp(initiative.lastCheckInAt)),
        field('Updated', format.timestamp(initiative.updatedAt))),
      h('section', { class: 'initiative__section', 'aria-labelledby': 'check-ins-title' },
        h('h3', { id: 'check-ins-title' }, `Check-ins (${format.count(checkIns.totalCount)})`),
        checkIns.items.length ? timeline : h('p', { class: 'empty' }, 'No check-ins yet.'),
        loaded < checkIns.totalCount ? more : null),
      h('section', { class: 'initiative__section', 'aria-labelledby': 'moves-title' },
        h('h3', { id: 'moves-title' }, `Deadline moves (${format.count(changes.totalCount)})`),
        deadlineMoves(changes))));
}
