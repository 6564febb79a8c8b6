/**
 * The comments of the watch page (social: API.md §3.7, docs/social.md "Comments").
 *
 *   const comments = commentsSection({ video, getPlayer: () => player, signal, onMarkers });
 *   page.append(comments.element);
 *
 * - GET /api/videos/{video_id}/comments (20 threads a page, "Show more"; sort newest / oldest /
 *   by time in the video), each with its replies (one level).
 * - Posting (POST …/comments): optionally at the player's current time (`timestamp_seconds`);
 *   replies (`parent_id`) from a Reply form under the thread.
 * - Edit in place while the API allows it (`can_edit`: the author, within 24 h), delete where
 *   allowed (`can_delete`: author, the video's uploader, admins), after a confirmation.
 * - A comment's timestamp, and every "1:23" / "1:02:03" written in a comment, is a button that
 *   seeks the video there.
 * - GET /api/videos/{video_id}/comment-markers after every change, handed to `onMarkers`
 *   (the player draws them on its timeline).
 */
import { api, isAbortError } from '../api.js';
import { session } from '../session.js';
import { avatar } from './avatar.js';
import { confirmDialog } from './dialog.js';
import { h, icon, uid } from './dom.js';
import { formatDuration, plural, timeElement } from './format.js';
import { mediaIcon } from './inline-icons.js';
import { errorState } from './page.js';
import { toast } from './toast.js';

const PAGE_SIZE = 20;
const MAX_LENGTH = 2000;
const COLLAPSE_REPLIES_OVER = 3;
const TIMESTAMP = /(^|[^\d:])((?:(\d{1,2}):)?(\d{1,2}):([0-5]\d))(?![\d:])/g;

/** "1:23" → 83, "1:02:03" → 3723; NaN for anything else. */
export function timestampSeconds(text) {
  const parts = String(text).split(':').map(Number);
  if (parts.some((n) => !Number.isInteger(n) || n < 0)) return NaN;
  if (parts.length === 2 && parts[1] < 60) return parts[0] * 60 + parts[1];
  if (parts.length === 3 && parts[1] < 60 && parts[2] < 60) return parts[0] * 3600 + parts[1] * 60 + parts[2];
  return NaN;
}

/** Text with its timestamps ("1:23") as buttons that call `seek(seconds)` (also for descriptions). */
export function richText(text, seek, duration) {
  const nodes = [];
  let last = 0;
  for (const match of String(text).matchAll(TIMESTAMP)) {
    const stamp = match[2];
    const seconds = timestampSeconds(stamp);
    const start = match.index + match[1].length;
    const known = Number(duration());
    if (!Number.isFinite(seconds) || (known > 0 && seconds > known + 1)) continue;
    if (start > last) nodes.push(text.slice(last, start));
    nodes.push(h('button', {
      class: 'comment__ts', type: 'button', 'aria-label': `Play from ${stamp}`, dataset: { seconds: String(seconds) },
      onClick: () => seek(seconds),
    }, stamp));
    last = start + stamp.length;
  }
  if (last < text.length) nodes.push(text.slice(last));
  return nodes;
}

function textarea({ label, name, value = '', placeholder, rows = 2, visibleLabel = false }) {
  const id = uid(`comment-${name}`);
  const control = h('textarea', {
    class: 'textarea comment-form__input', id, name, rows: String(rows), maxlength: String(MAX_LENGTH), placeholder,
    'aria-describedby': `${id}-error`,
  }, value);
  const error = h('p', { class: 'field__error', id: `${id}-error` });
  return {
    element: h('div', { class: 'field' },
      h('label', { class: visibleLabel ? 'field__label' : 'visually-hidden', for: id }, label),
      control, error),
    control,
    setError(message) {
      error.textContent = message ?? '';
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    },
  };
}

/**
 * A comment composer (new comment, or a reply): textarea, "at the current time" option, buttons.
 * `onSubmit({ content, timestamp_seconds })` may throw an ApiError, shown under the textarea.
 */
function composer({ label, placeholder, submitLabel, getPlayer, onSubmit, onCancel, initial = '', compact = false, rows = 2 }) {
  const input = textarea({ label, name: 'content', placeholder, value: initial, rows });
  const atId = uid('comment-at');
  const at = h('input', { type: 'checkbox', id: atId, class: 'comment-form__check' });
  const atText = h('span', {});
  const atField = h('div', { class: 'comment-form__at' }, at, h('label', { for: atId }, atText));
  const submit = h('button', { class: 'button button--primary button--sm', type: 'submit' }, submitLabel);
  const cancel = h('button', { class: 'button button--ghost button--sm', type: 'button' }, 'Cancel');
  const form = h('form', { class: ['comment-form', compact && 'comment-form--compact'], novalidate: true },
    input.element,
    h('div', { class: 'comment-form__row' }, atField, h('div', { class: 'comment-form__buttons' }, cancel, submit)));

  let lastSecond = -1;
  const refreshAt = () => {
    const player = getPlayer();
    atField.hidden = !player;
    if (!player) return;
    const second = Math.floor(player.currentTime);
    if (second === lastSecond) return;
    lastSecond = second;
    atText.textContent = `At ${formatDuration(second)} in the video`;
  };
  refreshAt();
  let unlisten = getPlayer()?.onTime(refreshAt) ?? null;
  const sync = () => {
    const open = input.control.value.trim().length > 0 || compact;
    form.classList.toggle('is-open', open || document.activeElement === input.control);
  };
  input.control.addEventListener('focus', () => { form.classList.add('is-open'); refreshAt(); });
  input.control.addEventListener('input', () => { input.setError(''); sync(); });
  input.control.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.key === 'Escape' && onCancel) {
      event.preventDefault();
      onCancel();
    }
  });
  cancel.addEventListener('click', () => {
    input.control.value = '';
    input.setError('');
    at.checked = false;
    form.classList.remove('is-open');
    onCancel?.();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const content = input.control.value.trim();
    if (!content) {
      input.setError('Write something first.');
      input.control.focus();
      return;
    }
    if (content.length > MAX_LENGTH) {
      input.setError(`Comments can be at most ${MAX_LENGTH.toLocaleString()} characters.`);
      input.control.focus();
      return;
    }
    const player = getPlayer();
    const body = { content };
    if (at.checked && player) body.timestamp_seconds = Math.floor(player.currentTime);
    submit.disabled = true;
    submit.setAttribute('aria-busy', 'true');
    try {
      await onSubmit(body);
      input.control.value = '';
      at.checked = false;
      input.setError('');
      sync();
    } catch (error) {
      if (isAbortError(error)) return;
      input.setError(error.fields?.content ?? error.message);
      input.control.focus();
    } finally {
      submit.disabled = false;
      submit.removeAttribute('aria-busy');
    }
  });
  return {
    element: form,
    focus() { input.control.focus(); },
    attachPlayer() {
      unlisten?.();
      unlisten = getPlayer()?.onTime(refreshAt) ?? null;
      refreshAt();
    },
    destroy() { unlisten?.(); },
  };
}

export function commentsSection({ video, getPlayer, signal, onMarkers, onCount }) {
  const base = `/api/videos/${encodeURIComponent(video.id)}`;
  const titleId = uid('comments-title');
  const sortId = uid('comments-sort');
  const count = h('span', { class: 'comments__count' });
  const sortSelect = h('select', { class: 'select select--sm', id: sortId },
    h('option', { value: 'newest' }, 'Newest first'),
    h('option', { value: 'oldest' }, 'Oldest first'),
    h('option', { value: 'timestamp' }, 'By time in the video'));
  const list = h('ul', { class: 'comments__list', 'aria-labelledby': titleId });
  const more = h('button', { class: 'button button--ghost comments__more', type: 'button', hidden: true }, 'Show more comments');
  const status = h('p', { class: 'comments__status muted', role: 'status' });
  const me = session.user;

  let sort = 'newest';
  let skip = 0;
  let total = 0;
  let loading = false;
  let generation = 0;
  const composers = new Set();

  const seek = (seconds) => {
    const player = getPlayer();
    if (!player) {
      toast('The video is not ready to play yet.');
      return;
    }
    player.seek(seconds, { play: true });
    const box = player.element.getBoundingClientRect();
    if (box.bottom < 60 || box.top > window.innerHeight - 60) player.element.scrollIntoView({ block: 'start', behavior: 'smooth' });
  };
  const duration = () => getPlayer()?.duration ?? video.duration_seconds ?? 0;

  function setTotal(value) {
    total = Math.max(0, value);
    count.textContent = total ? total.toLocaleString() : '';
    onCount?.(total);
  }

  async function refreshMarkers() {
    try {
      const markers = await api.get(`${base}/comment-markers`, { signal });
      onMarkers?.(Array.isArray(markers) ? markers : []);
    } catch { /* markers are a nicety */ }
  }

  // --- one comment ------------------------------------------------------------------------------
  function commentView(comment, thread) {
    const isReply = Boolean(comment.parent_id);
    const body = h('div', { class: 'comment__body' });
    const meta = h('p', { class: 'comment__meta' });
    const actions = h('div', { class: 'comment__actions' });
    const problem = h('p', { class: 'comment__problem', role: 'alert' });
    const main = h('div', { class: 'comment__main' }, meta, body, actions, problem);
    const element = h('article', {
      class: ['comment', isReply && 'comment--reply'],
      id: `comment-${comment.id}`,
      'aria-label': `Comment by ${comment.author_username}`,
      dataset: { commentId: comment.id },
    }, avatar({ username: comment.author_username, avatar_url: comment.author_avatar_url }, isReply ? 'xs' : 'sm'), main);

    function render() {
      const authorHref = `/u/${encodeURIComponent(comment.author_username)}`;
      meta.replaceChildren(
        h('a', { class: 'comment__author', href: authorHref }, comment.author_username),
        ...(comment.user_id === video.uploaded_by ? [h('span', { class: 'comment__badge' }, 'Uploader')] : []),
        timeElement(comment.created_at),
        ...(comment.is_edited ? [h('span', { class: 'comment__edited' }, 'edited')] : []),
      );
      body.replaceChildren(
        ...(Number.isInteger(comment.timestamp_seconds)
          ? [h('button', {
            class: 'comment__at', type: 'button',
            'aria-label': `Play from ${formatDuration(comment.timestamp_seconds)}`,
            dataset: { seconds: String(comment.timestamp_seconds) },
            onClick: () => seek(comment.timestamp_seconds),
          }, mediaIcon('play-solid'), formatDuration(comment.timestamp_seconds))]
          : []),
        h('span', { class: 'comment__text' }, richText(comment.content, seek, duration)),
      );
      actions.replaceChildren(
        h('button', { class: 'comment__action', type: 'button', onClick: () => thread.openReply(comment) },
          mediaIcon('reply'), 'Reply'),
        ...(comment.can_edit ? [h('button', { class: 'comment__action', type: 'button', onClick: startEdit }, mediaIcon('edit'), 'Edit')] : []),
        ...(comment.can_delete ? [h('button', { class: 'comment__action comment__action--danger', type: 'button', onClick: remove }, mediaIcon('trash'), 'Delete')] : []),
      );
      for (const button of actions.querySelectorAll('button')) {
        button.setAttribute('aria-label', `${button.textContent} (comment by ${comment.author_username})`);
      }
    }

    function startEdit() {
      problem.textContent = '';
      const input = textarea({ label: 'Edit your comment', name: 'edit', value: comment.content, rows: 3 });
      const save = h('button', { class: 'button button--primary button--sm', type: 'submit' }, 'Save');
      const cancel = h('button', { class: 'button button--ghost button--sm', type: 'button' }, 'Cancel');
      const form = h('form', { class: 'comment-form comment-form--edit is-open', novalidate: true },
        input.element, h('div', { class: 'comment-form__row' }, h('span', {}), h('div', { class: 'comment-form__buttons' }, cancel, save)));
      const close = () => {
        form.replaceWith(body);
        actions.hidden = false;
        actions.querySelector('button:nth-child(2)')?.focus();
      };
      cancel.addEventListener('click', close);
      input.control.addEventListener('keydown', (event) => {
        if (event.key === 'Escape') { event.preventDefault(); close(); }
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); form.requestSubmit(); }
      });
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const content = input.control.value.trim();
        if (!content) {
          input.setError('A comment cannot be empty. Delete it instead.');
          input.control.focus();
          return;
        }
        save.disabled = true;
        save.setAttribute('aria-busy', 'true');
        try {
          const updated = await api.patch(`/api/comments/${encodeURIComponent(comment.id)}`, { content });
          Object.assign(comment, updated, { replies: comment.replies });
          render();
          close();
          toast('Comment updated.', { tone: 'success' });
        } catch (error) {
          input.setError(error.fields?.content ?? error.message);
          input.control.focus();
        } finally {
          save.disabled = false;
          save.removeAttribute('aria-busy');
        }
      });
      body.replaceWith(form);
      actions.hidden = true;
      input.control.focus();
      input.control.setSelectionRange(input.control.value.length, input.control.value.length);
    }

    async function remove() {
      problem.textContent = '';
      const replies = isReply ? 0 : (thread.replyCount?.() ?? 0);
      const ok = await confirmDialog({
        title: 'Delete this comment?',
        message: replies > 0 ? `Its ${plural(replies, 'reply', 'replies')} will be deleted too. This cannot be undone.` : 'This cannot be undone.',
        confirmLabel: 'Delete',
        danger: true,
      });
      if (!ok) return;
      try {
        await api.delete(`/api/comments/${encodeURIComponent(comment.id)}`);
      } catch (error) {
        if (error.status !== 404) {
          problem.textContent = `Couldn't delete it: ${error.message}`;
          return;
        }
      }
      thread.removed(comment);
      toast('Comment deleted.', { tone: 'success' });
      refreshMarkers();
    }

    render();
    return { element, comment, rerender: render };
  }

  // --- one thread (a top-level comment and its replies) ----------------------------------------------
  function threadView(top) {
    const li = h('li', { class: 'comment-thread', dataset: { commentId: top.id } });
    const repliesList = h('ul', { class: 'comment-thread__replies', 'aria-label': `Replies to ${top.author_username}` });
    const replyHost = h('div', { class: 'comment-thread__reply-form' });
    const toggleId = uid('replies');
    repliesList.id = toggleId;
    const toggle = h('button', { class: 'comment-thread__toggle', type: 'button', 'aria-controls': toggleId, 'aria-expanded': 'true' });
    let replies = [...(top.replies ?? [])];
    let openComposer = null;

    const thread = {
      openReply(target) {
        if (openComposer) {
          openComposer.focus();
          return;
        }
        const prefix = target.parent_id && target.author_username !== me?.username ? `@${target.author_username} ` : '';
        openComposer = composer({
          label: `Reply to ${target.author_username}`,
          placeholder: 'Add a reply…',
          submitLabel: 'Reply',
          getPlayer,
          initial: prefix,
          compact: true,
          onSubmit: async (body) => {
            const created = await api.post(`${base}/comments`, { ...body, parent_id: top.id }, { signal });
            replies.push(created);
            top.reply_count = (top.reply_count ?? 0) + 1;
            setExpanded(true);
            const view = commentView(created, thread);
            repliesList.append(h('li', {}, view.element));
            renderToggle();
            closeReply();
            if (body.timestamp_seconds !== undefined) refreshMarkers();
            view.element.querySelector('.comment__action')?.focus();
          },
          onCancel: () => closeReply({ focus: true }),
        });
        composers.add(openComposer);
        replyHost.replaceChildren(openComposer.element);
        openComposer.focus();
        const input = openComposer.element.querySelector('textarea');
        input.setSelectionRange(input.value.length, input.value.length);
      },
      removed(comment) {
        if (comment.id === top.id) {
          li.remove();
          setTotal(total - 1);
          skip = Math.max(0, skip - 1);
          if (!list.children.length) renderEmpty();
          return;
        }
        replies = replies.filter((reply) => reply.id !== comment.id);
        top.reply_count = Math.max(0, (top.reply_count ?? 1) - 1);
        repliesList.querySelector(`[data-comment-id="${CSS.escape(comment.id)}"]`)?.closest('li')?.remove();
        renderToggle();
      },
      replyCount: () => replies.length,
    };

    function closeReply({ focus = false } = {}) {
      if (!openComposer) return;
      openComposer.destroy();
      composers.delete(openComposer);
      openComposer = null;
      replyHost.replaceChildren();
      if (focus) li.querySelector('.comment__action')?.focus();
    }

    function setExpanded(expanded) {
      toggle.setAttribute('aria-expanded', String(expanded));
      repliesList.hidden = !expanded;
      renderToggle();
    }

    function renderToggle() {
      const n = replies.length;
      toggle.hidden = n <= COLLAPSE_REPLIES_OVER && toggle.getAttribute('aria-expanded') === 'true';
      toggle.replaceChildren(mediaIcon(toggle.getAttribute('aria-expanded') === 'true' ? 'chevron-down' : 'chevron-right'),
        toggle.getAttribute('aria-expanded') === 'true' ? 'Hide replies' : `Show ${plural(n, 'reply', 'replies')}`);
      if (n === 0) toggle.hidden = true;
    }
    toggle.addEventListener('click', () => setExpanded(toggle.getAttribute('aria-expanded') !== 'true'));

    const topView = commentView(top, thread);
    for (const reply of replies) repliesList.append(h('li', {}, commentView(reply, thread).element));
    li.append(topView.element, h('div', { class: 'comment-thread__children' }, toggle, repliesList, replyHost));
    setExpanded(replies.length <= COLLAPSE_REPLIES_OVER);
    return li;
  }

  // --- list -----------------------------------------------------------------------------------------
  function renderEmpty() {
    status.textContent = '';
    list.replaceChildren(h('li', { class: 'comments__empty' },
      h('span', { class: 'comments__empty-icon', 'aria-hidden': 'true' }, mediaIcon('message')),
      h('p', {}, h('strong', {}, 'No comments yet.'), ' Start the conversation.')));
  }

  async function loadPage({ reset = false } = {}) {
    if (loading && !reset) return;
    const mine = reset ? ++generation : generation;
    if (reset) {
      skip = 0;
      list.replaceChildren(h('li', { class: 'comments__loading' }, h('div', { class: 'spinner', 'aria-hidden': 'true' }), h('span', { class: 'muted' }, 'Loading comments…')));
    }
    loading = true;
    more.disabled = true;
    more.setAttribute('aria-busy', 'true');
    try {
      const answer = await api.get(`${base}/comments`, { query: { skip, limit: PAGE_SIZE, sort }, signal });
      if (mine !== generation) return;
      if (skip === 0) list.replaceChildren();
      setTotal(answer.total);
      const added = answer.comments.map(threadView);
      list.append(...added);
      skip += answer.comments.length;
      more.hidden = !answer.has_more;
      if (skip === 0) renderEmpty();
      status.textContent = skip > PAGE_SIZE ? `${skip.toLocaleString()} of ${plural(total, 'comment')} shown` : '';
      if (!reset) added[0]?.querySelector('.comment__author')?.focus();
    } catch (error) {
      if (isAbortError(error) || mine !== generation) return;
      if (skip === 0) {
        list.replaceChildren(h('li', {}, errorState(error, { title: "Couldn't load the comments", headingLevel: 'h3', onRetry: () => loadPage({ reset: true }) })));
      } else {
        status.textContent = error.message;
      }
    } finally {
      if (mine === generation) {
        loading = false;
        more.disabled = false;
        more.removeAttribute('aria-busy');
      }
    }
  }

  more.addEventListener('click', () => loadPage());
  sortSelect.addEventListener('change', () => {
    sort = sortSelect.value;
    loadPage({ reset: true });
  });

  const newComment = composer({
    label: 'Add a comment',
    placeholder: 'Add a comment…',
    submitLabel: 'Comment',
    getPlayer,
    rows: 1,
    onSubmit: async (body) => {
      const created = await api.post(`${base}/comments`, body, { signal });
      setTotal(total + 1);
      if (sort === 'timestamp') {
        await loadPage({ reset: true });
      } else {
        if (list.querySelector('.comments__empty')) list.replaceChildren();
        const thread = threadView(created);
        if (sort === 'newest') list.prepend(thread);
        else if (more.hidden) list.append(thread);
        skip += 1;
        thread.classList.add('is-new');
      }
      if (body.timestamp_seconds !== undefined) refreshMarkers();
      toast('Comment posted.', { tone: 'success' });
    },
  });
  composers.add(newComment);

  const element = h('section', { class: 'comments', 'aria-labelledby': titleId, id: 'comments' },
    h('div', { class: 'comments__head' },
      h('h2', { class: 'comments__title', id: titleId }, 'Comments', ' ', count),
      h('div', { class: 'comments__sort' },
        h('label', { for: sortId, class: 'muted' }, 'Sort'),
        sortSelect)),
    h('div', { class: 'comments__compose' }, avatar(me, 'sm'), newComment.element),
    list,
    h('div', { class: 'comments__footer' }, status, more),
  );

  loadPage({ reset: true });
  refreshMarkers();
  signal?.addEventListener('abort', () => { for (const c of composers) c.destroy(); }, { once: true });

  return {
    element,
    refreshMarkers,
    /** The player appeared (the video became ready): the composers offer the current time now. */
    attachPlayer() { for (const c of composers) c.attachPlayer(); },
  };
}
