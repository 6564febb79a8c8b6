/**
 * A paged grid of videos from GET /api/videos/ (search, category, uploader, sort), and the
 * sort control that goes with it.
 *
 *   videoList({ filters: { search, category_id, uploaded_by }, sort: 'newest', signal, empty })
 *   sortControl({ value: 'newest', onChange: (value) => … })
 */
import { api } from '../api.js';
import { SORTS, videoQuery } from '../data.js';
import { h, uid } from './dom.js';
import { emptyState } from './page.js';
import { pagedList } from './pager.js';
import { videoCard } from './video-card.js';

export function videoList({ filters = {}, sort = 'newest', signal, empty, pageSize = 24, cardOptions = {}, label = 'Videos', onLoaded }) {
  return pagedList({
    label,
    pageSize,
    noun: ['video', 'videos'],
    signal,
    onLoaded,
    fetchPage: async ({ skip, limit }) => {
      const answer = await api.get('/api/videos/', { query: { ...filters, ...videoQuery({ sort }), skip, limit }, signal });
      return { items: answer.videos, total: answer.total };
    },
    renderItem: (video) => videoCard(video, cardOptions),
    empty: empty ?? (() => emptyState({ title: 'No videos here yet' })),
  });
}

export function sortControl({ value, onChange }) {
  const id = uid('sort');
  const select = h('select', { class: 'select select--sm', id, name: 'sort' },
    SORTS.map((sort) => h('option', { value: sort.value, selected: sort.value === value }, sort.label)));
  select.addEventListener('change', () => onChange(select.value));
  return h('div', { class: 'sort-control' }, h('label', { for: id }, 'Sort by'), select);
}
