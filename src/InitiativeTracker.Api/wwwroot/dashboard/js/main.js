// The dashboard: a hash router over four views, the key gate and the error states.
import { ApiError, apiKey } from './api.js';
import { h, show } from './dom.js';
import { renderInitiative } from './views/initiative.js';
import { renderKeyForm } from './views/key.js';
import { renderOverdue } from './views/overdue.js';
import { renderOverview } from './views/overview.js';
import { renderScorecard } from './views/scorecard.js';

const main = document.getElementById('main');
const keyStatus = document.getElementById('key-status');

const routes = [
  { pattern: /^\/$/, nav: 'overview', render: renderOverview },
  { pattern: /^\/overdue$/, nav: 'overdue', render: renderOverdue },
  { pattern: /^\/scorecard$/, nav: 'scorecard', render: renderScorecard },
  { pattern: /^\/initiatives\/(\d+)$/, nav: null, render: renderInitiative },
];

/** '#/overdue?directionId=2' → { path: '/overdue', params: URLSearchParams } */
function currentRoute() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query] = hash.split('?');
  return { path: path || '/', params: new URLSearchParams(query ?? '') };
}

/** Moves to a view with these parameters (empty ones left out). */
export function navigate(path, params = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') query.set(name, String(value));
  }
  const text = query.toString();
  location.hash = `#${path}${text ? `?${text}` : ''}`;
}

function renderKeyStatus() {
  const key = apiKey.get();
  show(keyStatus, key
    ? [h('span', { class: 'key-status__label' }, 'Key ', h('span', { class: 'key-status__value' }, `…${key.slice(-4)}`)),
      h('button', { type: 'button', class: 'button button--quiet', id: 'change-key', onclick: () => askForKey() }, 'Change key')]
    : h('span', { class: 'key-status__label' }, 'No key yet'));
}

function askForKey() {
  setBusy(false);
  renderKeyForm(main, {
    hasKey: Boolean(apiKey.get()),
    onKey: (key) => {
      apiKey.set(key);
      renderKeyStatus();
      render();
    },
    onCancel: () => render(),
  });
}

function setBusy(busy) {
  main.setAttribute('aria-busy', busy ? 'true' : 'false');
}

function markNav(nav) {
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === nav) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** An error the person can act on: change the key, or try again once the service is back. */
export function renderError(error) {
  if (!(error instanceof ApiError)) {
    // A bug in the page, not the service: say so and keep it in the console for whoever fixes it.
    console.error(error);
    return show(main, h('section', { class: 'problem', role: 'alert' },
      h('h2', {}, 'Something went wrong in the page'), h('p', {}, String(error.message ?? error)),
      h('button', { type: 'button', class: 'button', onclick: () => render() }, 'Try again')));
  }
  if (error.kind === 'no-key') return askForKey();
  const retry = h('button', { type: 'button', class: 'button', onclick: () => render() }, 'Try again');
  const changeKey = h('button', { type: 'button', class: 'button', onclick: () => askForKey() }, 'Change key');
  const detail = error.problem?.detail ? h('p', { class: 'problem__detail' }, `The service said: ${error.problem.detail}`) : null;
  const body = {
    unauthorized: ['The key was refused', `The service does not know this key (${error.status} Unauthorized). Check that you pasted all of it, or ask an administrator for a viewer key.`, [changeKey]],
    forbidden: ['This key may not read this', `The key is valid but not allowed here (${error.status} Forbidden). Use a key with the viewer, coordinator or admin role.`, [changeKey]],
    offline: ['The service did not answer', 'The page could not reach the InitiativeTracker service: it may be down or restarting, or the network is out. Try again in a moment.', [retry]],
    busy: ['The service is busy', `It asked to be called again later (${error.status}). Try again in a moment.`, [retry]],
    failed: ['The service could not answer', `It answered ${error.status}${error.problem?.title ? ` ${error.problem.title}` : ''}.`, [retry, changeKey]],
  }[error.kind];
  const [title, text, actions] = body;
  show(main, h('section', { class: ['problem', `problem--${error.kind}`], role: 'alert', 'data-error': error.kind },
    h('h2', {}, title), h('p', {}, text), detail, h('div', { class: 'actions' }, actions)));
  return main;
}

let renderCount = 0;

async function render() {
  const run = ++renderCount;
  const { path, params } = currentRoute();
  const route = routes.find((r) => r.pattern.test(path));
  markNav(route?.nav ?? null);
  renderKeyStatus();
  if (!route) {
    show(main, h('section', { class: 'problem' }, h('h2', {}, 'No such view'), h('p', {}, h('a', { href: '#/' }, 'Back to the overview'))));
    return;
  }
  if (!apiKey.get()) {
    askForKey();
    return;
  }
  setBusy(true);
  try {
    const match = route.pattern.exec(path);
    await route.render(main, { params, match, navigate, isCurrent: () => run === renderCount });
  } catch (error) {
    if (run === renderCount) renderError(error);
  } finally {
    if (run === renderCount) setBusy(false);
  }
}

document.getElementById('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
window.addEventListener('hashchange', () => {
  render();
  main.focus({ preventScroll: true });
});
render();
