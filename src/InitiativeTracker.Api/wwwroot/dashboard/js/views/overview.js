// The first view: the meeting, the overall numbers, and per direction its numbers and trend.
import { cached, getJson } from '../api.js';
import { statusBreakdown, trendChart } from '../charts.js';
import { format, h, show } from '../dom.js';
import { loading, metric, viewHeader } from './common.js';

function directionCard(row, trendSlot) {
  const id = row.directionId;
  return h('article', { class: 'card direction', 'data-direction-id': id, 'aria-labelledby': `direction-${id}-title` },
    h('p', { class: 'eyebrow' }, `Direction ${row.directionNumber}`),
    h('h3', { id: `direction-${id}-title`, class: 'direction__title' }, row.directionTitle),
    h('dl', { class: 'metrics' },
      metric(['Progress', h('span', { class: 'visually-hidden' }, ' (mean)')], format.progress(row.meanProgress), 'meanProgress'),
      metric('Overdue', format.count(row.overdue), 'overdue', row.overdue > 0 ? 'alert' : null),
      metric('On time', format.rate(row.onTimeRate), 'onTimeRate'),
      metric('Initiatives', format.count(row.total), 'total')),
    statusBreakdown(row),
    h('p', { class: 'direction__risk' },
      h('span', { 'data-metric': 'atRisk' }, format.count(row.atRisk)), ' at risk · ',
      h('span', { 'data-metric': 'offTrack' }, format.count(row.offTrack)), ' off track'),
    h('h4', { class: 'direction__subhead' }, 'Trend'),
    trendSlot,
    h('p', { class: 'card__links' },
      h('a', { href: `#/overdue?directionId=${id}` }, 'Overdue in this direction'),
      h('a', { href: `#/scorecard?groupBy=taskForce&directionId=${id}` }, 'Scorecard')));
}

export async function renderOverview(main, { isCurrent }) {
  show(main, loading('the directions'));
  // The meeting is the one the directions belong to, fetched while the progress report is computed.
  const meetingOf = async () => {
    const meetingId = (await cached('/directions', { pageSize: 200 })).items[0]?.meetingId;
    return meetingId ? cached(`/meetings/${meetingId}`) : null;
  };
  const [progress, meeting] = await Promise.all([getJson('/reports/progress'), meetingOf()]);
  if (!isCurrent()) return;
  // The numbers first, the trend (a pass over the whole history, about a second on 100,000 initiatives)
  // only then: asked at the same time, it took the CPU the progress report needed and delayed the first view.
  const trend = getJson('/reports/trend', { groupBy: 'direction' });
  trend.catch(() => {});

  const slots = new Map(progress.directions.map((row) => [row.directionId, h('div', { class: 'trend-slot' }, loading('the trend'))]));
  const overall = progress.overall;
  show(main,
    h('section', { class: 'meeting', 'aria-labelledby': 'meeting-heading' },
      viewHeader(meeting?.title ?? 'The directions',
        meeting ? `Held ${format.date(meeting.heldOn)} · ${meeting.location ?? ''}` : null),
      meeting?.summary ? h('p', { class: 'meeting__summary' }, meeting.summary) : null,
      h('p', { class: 'as-of' }, `As of ${format.date(progress.asOf)} (${progress.timeZone})`),
      h('dl', { class: 'metrics metrics--overall', 'data-scope': 'overall' },
        metric('Initiatives', format.count(overall.total), 'total'),
        metric('Done', format.count(overall.done), 'done'),
        metric('Overdue', format.count(overall.overdue), 'overdue', overall.overdue > 0 ? 'alert' : null),
        metric('On time', format.rate(overall.onTimeRate), 'onTimeRate'),
        metric('Mean progress', format.progress(overall.meanProgress), 'meanProgress'))),
    h('section', { class: 'directions', 'aria-labelledby': 'directions-heading' },
      h('h2', { id: 'directions-heading', class: 'section-title' }, 'The directions'),
      progress.directions.length
        ? h('div', { class: 'cards' }, progress.directions.map((row) => directionCard(row, slots.get(row.directionId))))
        : h('p', { class: 'empty' }, 'No directions yet.')));
  main.querySelector('.view-header h2').id = 'meeting-heading';

  let series;
  try {
    series = (await trend).series;
  } catch (error) {
    if (!isCurrent()) return;
    for (const slot of slots.values()) show(slot, h('p', { class: 'empty' }, `The trend could not be loaded (${error.message}).`));
    return;
  }
  if (!isCurrent()) return;
  const interval = (await trend).interval;
  for (const [directionId, slot] of slots) {
    const points = series.find((item) => item.groupId === directionId)?.points ?? [];
    const direction = progress.directions.find((row) => row.directionId === directionId);
    show(slot, trendChart(points, { title: `Direction ${direction.directionNumber}: done, total and overdue by ${interval}`, interval }));
  }
}
