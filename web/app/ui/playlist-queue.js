/**
 * Playing a playlist through, in order: the contract between the playlist page ("Play all", and
 * every row's link) and the watch page.
 *
 *   /v/{video short_id}?list={playlist short_id}&i={position}
 *
 *   list  the playlist's short_id (10 characters)
 *   i     the entry's `position` in the playlist (0-based, as GET /api/playlists/{short_id} gives
 *         it). A video is in a playlist at most once, so the watch page finds the current entry by
 *         the video's short_id; `i` is the fallback when that video has left the playlist (then the
 *         next one is the first entry whose position is >= i).
 *
 * For the watch page (no edits to it here; use these if you like):
 *
 *   import { readPlaylistParams, loadPlaylistQueue } from '../ui/playlist-queue.js';
 *   const params = readPlaylistParams(ctx.query);            // { list, index } or null
 *   if (params) {
 *     const queue = await loadPlaylistQueue({ ...params, shortId: ctx.params.shortId, signal });
 *     queue.playlist          // PlaylistWithVideos
 *     queue.current           // the entry of this video (or null)
 *     queue.next / previous   // the next / previous PLAYABLE entry (completed video), or null
 *     queue.nextHref          // '/v/<sid>?list=<list>&i=<position>' or null: navigate on `ended`
 *     queue.previousHref
 *     queue.number, queue.count   // "3 of 12" (among playable entries)
 *   }
 *
 * Only completed videos are played; the owner's own unprocessed uploads in a playlist are skipped.
 */
import { api } from '../api.js';

export function playlistEntryHref(listShortId, entry) {
  const video = entry.video ?? entry;
  const params = new URLSearchParams({ list: listShortId, i: String(entry.position ?? 0) });
  return `/v/${encodeURIComponent(video.short_id)}?${params}`;
}

export function isPlayable(entry) {
  return entry?.video?.processing_status === 'completed';
}

/** The first playable entry's href ("Play all"), or null when none can be played yet. */
export function playAllHref(playlist) {
  const first = (playlist.videos ?? []).find(isPlayable);
  return first ? playlistEntryHref(playlist.short_id, first) : null;
}

/** `{ list, index }` from a watch page URL's query, or null when it is not played from a playlist. */
export function readPlaylistParams(query) {
  const list = query.get('list');
  if (!list || !/^[0-9A-Za-z]{1,64}$/.test(list)) return null;
  const raw = Number.parseInt(query.get('i') ?? '', 10);
  return { list, index: Number.isFinite(raw) && raw >= 0 ? raw : null };
}

export async function loadPlaylistQueue({ list, index = null, shortId, signal }) {
  const playlist = await api.get(`/api/playlists/${encodeURIComponent(list)}`, { signal });
  const entries = [...(playlist.videos ?? [])].sort((a, b) => a.position - b.position);
  let current = entries.find((entry) => entry.video?.short_id === shortId) ?? null;
  let at;
  if (current) at = current.position;
  else at = index ?? -1;
  const playable = entries.filter(isPlayable);
  const next = playable.find((entry) => (current ? entry.position > at : entry.position >= at)) ?? null;
  const previous = [...playable].reverse().find((entry) => entry.position < at) ?? null;
  const number = current && isPlayable(current) ? playable.indexOf(current) + 1 : null;
  return {
    playlist,
    entries,
    current,
    next,
    previous,
    nextHref: next ? playlistEntryHref(playlist.short_id, next) : null,
    previousHref: previous ? playlistEntryHref(playlist.short_id, previous) : null,
    number,
    count: playable.length,
  };
}
