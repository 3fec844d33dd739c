import { h } from '../dom.js';

/** A loading line that screen readers announce; replaced by the view when its data has come. */
export const loading = (what) => h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), `Loading ${what}…`);

/** A headline number with its label: <div><dt>Overdue</dt><dd>3</dd></div>. */
export const metric = (name, value, key, modifier) => h('div', { class: ['metric', modifier && `metric--${modifier}`] },
  h('dt', {}, name), h('dd', { 'data-metric': key }, value));

/** The view's heading and the line under it. */
export const viewHeader = (title, ...lead) => h('div', { class: 'view-header' }, h('h2', {}, title), lead.length ? h('p', { class: 'lead' }, lead) : null);

/** The initiative's name as a link to its detail. */
export const initiativeLink = (id, title) => h('a', { href: `#/initiatives/${id}`, class: 'initiative-link' }, title);
