import { h, show } from '../dom.js';

/** The key gate: paste a key (any role that reads: viewer is enough); kept for this tab only. */
export function renderKeyForm(main, { onKey, onCancel, hasKey }) {
  const input = h('input', {
    id: 'api-key', name: 'api-key', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true,
    'aria-describedby': 'api-key-help',
  });
  const form = h('form', {
    class: 'key-form',
    onsubmit: (event) => {
      event.preventDefault();
      const key = input.value.trim();
      if (key) onKey(key);
      else input.focus();
    },
  },
  h('label', { for: 'api-key' }, 'API key'),
  input,
  h('p', { id: 'api-key-help', class: 'hint' },
    'A viewer key is enough. It is kept in this browser tab only (until you close it) and sent to this service in the Authorization header, never in a URL.'),
  h('div', { class: 'actions' },
    h('button', { type: 'submit', class: 'button button--primary' }, 'Show the dashboard'),
    hasKey ? h('button', { type: 'button', class: 'button', onclick: onCancel }, 'Keep the current key') : null));
  show(main, h('section', { class: 'panel key-panel', 'aria-labelledby': 'key-title' },
    h('h2', { id: 'key-title' }, 'Paste your API key'),
    h('p', {}, 'The dashboard reads the InitiativeTracker API with your key. Ask an administrator for one if you have none.'),
    form));
  input.focus();
}
