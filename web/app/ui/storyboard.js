/**
 * Storyboards: the WebVTT index of a video's thumbnail sprite (stream-info's `storyboard_url`,
 * a signed URL that needs no token), as the media worker writes it:
 *
 *   WEBVTT
 *
 *   00:00:00.000 --> 00:00:02.000
 *   storyboard.jpg#xywh=0,0,160,90
 *
 *   const board = await loadStoryboard(url, { signal });   // null when there is none
 *   board.at(12.3)   // { start, end, url, x, y, w, h }: the tile to show for that time
 *
 * Image URLs are resolved against the VTT's URL (the signature covers the video's whole folder).
 */

/** "hh:mm:ss.ttt" or "mm:ss.ttt" → seconds. */
export function parseTimestamp(text) {
  const match = /^(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)$/.exec(text.trim());
  if (!match) return NaN;
  return Number(match[1] ?? 0) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

/** Parses the storyboard's WebVTT; `base` resolves relative image URLs. */
export function parseStoryboard(text, base) {
  const cues = [];
  const blocks = String(text).replace(/\r\n?/g, '\n').split(/\n{2,}/);
  for (const block of blocks) {
    const lines = block.split('\n').map((line) => line.trim()).filter(Boolean);
    const timing = lines.findIndex((line) => line.includes('-->'));
    if (timing === -1 || !lines[timing + 1]) continue;
    const [from, to] = lines[timing].split('-->').map((part) => part.trim().split(/\s+/)[0]);
    const start = parseTimestamp(from);
    const end = parseTimestamp(to);
    if (!Number.isFinite(start) || !Number.isFinite(end)) continue;
    const target = lines[timing + 1];
    const hash = target.indexOf('#xywh=');
    const imagePart = hash === -1 ? target : target.slice(0, hash);
    let url;
    try { url = new URL(imagePart, base).href; } catch { continue; }
    let x = 0;
    let y = 0;
    let w = 0;
    let h = 0;
    if (hash !== -1) {
      const numbers = target.slice(hash + 6).split(',').map(Number);
      if (numbers.length === 4 && numbers.every(Number.isFinite)) [x, y, w, h] = numbers;
    }
    cues.push({ start, end, url, x, y, w, h });
  }
  cues.sort((a, b) => a.start - b.start);
  return cues;
}

export async function loadStoryboard(url, { signal } = {}) {
  if (!url) return null;
  const response = await fetch(url, { signal, credentials: 'same-origin' });
  if (!response.ok) return null;
  const base = new URL(url, window.location.href).href;
  const cues = parseStoryboard(await response.text(), base);
  if (cues.length === 0) return null;
  // Warm the sprite so the first hover shows a picture at once.
  const sprites = [...new Set(cues.map((cue) => cue.url))];
  for (const sprite of sprites.slice(0, 4)) {
    const img = new Image();
    img.decoding = 'async';
    img.src = sprite;
  }
  return {
    cues,
    at(seconds) {
      let low = 0;
      let high = cues.length - 1;
      if (seconds <= cues[0].start) return cues[0];
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (cues[mid].start <= seconds) low = mid;
        else high = mid - 1;
      }
      return cues[low];
    },
  };
}
