/**
 * Shared reads that many pages need, cached briefly so moving between pages stays snappy.
 *
 *   const categories = await getCategories({ signal });   // [Category], by name; cached 60 s
 *   invalidateCategories();                               // after creating/renaming/deleting one
 *
 *   videoQuery({ sort: 'views' })  // → { sort: 'view_count', order: 'desc' } for GET /api/videos/
 *   SORTS                          // the sort choices shown in the UI
 */
import { api } from './api.js';

const CATEGORY_TTL_MS = 60_000;
let categories = null; // { at, promise }

export function getCategories({ signal } = {}) {
  if (categories && Date.now() - categories.at < CATEGORY_TTL_MS) return categories.promise;
  const promise = api.get('/api/categories/', { signal }).then((answer) => answer?.categories ?? []);
  categories = { at: Date.now(), promise };
  promise.catch(() => { categories = null; });
  return promise;
}

export function invalidateCategories() {
  categories = null;
}

/** The sort choices of video lists: UI value → GET /api/videos/ parameters. */
export const SORTS = [
  { value: 'newest', label: 'Newest', query: { sort: 'created_at', order: 'desc' } },
  { value: 'oldest', label: 'Oldest', query: { sort: 'created_at', order: 'asc' } },
  { value: 'views', label: 'Most viewed', query: { sort: 'view_count', order: 'desc' } },
  { value: 'title', label: 'Title (A–Z)', query: { sort: 'title', order: 'asc' } },
];

export function sortValue(value) {
  return SORTS.some((sort) => sort.value === value) ? value : 'newest';
}

export function videoQuery({ sort = 'newest' } = {}) {
  return (SORTS.find((choice) => choice.value === sort) ?? SORTS[0]).query;
}
