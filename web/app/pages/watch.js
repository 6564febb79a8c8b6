/**
 * /v/{short_id}: the watch page — PLACEHOLDER (coming soon). Replace this module's body with the
 * player, details, comments. `params.shortId` is the video's short id.
 */
import { comingSoon } from '../ui/page.js';

export default function render({ params }) {
  return comingSoon({
    title: 'The player is coming soon',
    icon: 'play',
    route: `/v/${params.shortId}`,
    text: 'Watching videos right here, with comments and playlists, arrives shortly.',
  });
}
