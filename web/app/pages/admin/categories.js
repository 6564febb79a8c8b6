/**
 * /admin/categories: every category (GET /api/categories/) as cards, with create and edit in a dialog
 * (POST / PATCH /api/categories/{id}: name 1–50, description ≤ 500) that also takes an image
 * (POST /api/categories/{id}/image, multipart `file`, ≤ 5 MB; previewed before upload; removed with
 * DELETE …/image), and delete (DELETE /api/categories/{id}, confirmed: the videos stay, uncategorised).
 * The shared category cache (data.js) is invalidated after every change.
 */
import { api, ApiError, isAbortError } from '../../api.js';
import { invalidateCategories } from '../../data.js';
import { confirmDialog } from '../../ui/dialog.js';
import { h, uid } from '../../ui/dom.js';
import { field, setFieldError, setFormError } from '../../ui/forms.js';
import { formDialog } from '../../ui/form-dialog.js';
import { formatBytes, plural } from '../../ui/format.js';
import { mIcon } from '../../ui/inline-icons.js';
import { emptyState, errorState, loadingState } from '../../ui/page.js';
import { categoryArt } from '../../ui/tiles.js';
import { toast } from '../../ui/toast.js';

const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/bmp'];

/** The image control: a file input with a live preview, and "Remove image" for an existing one. */
function imageField(category) {
  const id = uid('field-image');
  const hintId = `${id}-hint`;
  let objectUrl = null;
  let removeExisting = false;
  const preview = h('div', { class: 'image-field__preview', 'aria-hidden': 'true' });
  const input = h('input', {
    class: 'image-field__input', type: 'file', id, name: 'image', accept: IMAGE_TYPES.join(','),
    'aria-describedby': `${hintId} ${id}-error`,
  });
  const fileName = h('p', { class: 'image-field__name', role: 'status' });
  const removeButton = h('button', { class: 'button button--ghost button--sm button--danger-ghost', type: 'button', hidden: true }, mIcon('trash'), 'Remove image');
  const clearButton = h('button', { class: 'button button--ghost button--sm', type: 'button', hidden: true }, 'Keep the current image');

  function showPreview(src) {
    preview.replaceChildren(src
      ? h('img', { src, alt: '' })
      : h('span', { class: 'image-field__empty' }, mIcon('image'), h('span', {}, 'No image')));
  }
  function reset() {
    if (objectUrl) URL.revokeObjectURL(objectUrl);
    objectUrl = null;
    input.value = '';
    fileName.textContent = '';
    removeExisting = false;
    showPreview(category?.image_url ?? null);
    removeButton.hidden = !category?.image_url;
    clearButton.hidden = true;
  }
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    const form = input.form;
    if (form) setFieldError(form, 'image', '');
    if (!file) {
      reset();
      return;
    }
    if (objectUrl) URL.revokeObjectURL(objectUrl);
    objectUrl = URL.createObjectURL(file);
    showPreview(objectUrl);
    fileName.textContent = `${file.name} · ${formatBytes(file.size)}`;
    removeExisting = false;
    removeButton.hidden = true;
    clearButton.hidden = false;
    clearButton.textContent = category?.image_url ? 'Keep the current image' : 'Clear choice';
  });
  removeButton.addEventListener('click', () => {
    removeExisting = true;
    showPreview(null);
    fileName.textContent = 'The image will be removed when you save.';
    removeButton.hidden = true;
    clearButton.hidden = false;
    clearButton.textContent = 'Keep the current image';
  });
  clearButton.addEventListener('click', () => { reset(); input.focus(); });
  reset();

  const element = h('div', { class: 'field image-field' },
    h('label', { class: 'field__label', for: id }, 'Image'),
    h('div', { class: 'image-field__row' },
      preview,
      h('div', { class: 'image-field__controls' },
        input,
        fileName,
        h('div', { class: 'image-field__buttons' }, removeButton, clearButton),
        h('p', { class: 'field__hint', id: hintId }, 'JPEG, PNG, GIF, WebP or BMP, up to 5 MB. Shown as a square (400 × 400).'),
        h('p', { class: 'field__error', id: `${id}-error` }))),
  );
  return {
    element,
    get file() { return input.files?.[0] ?? null; },
    get removeExisting() { return removeExisting; },
    dispose() { if (objectUrl) URL.revokeObjectURL(objectUrl); },
    setCategory(next) { category = next; },
  };
}

function checkImage(file) {
  if (!file) return null;
  if (file.type && !file.type.startsWith('image/')) return 'Choose an image file (JPEG, PNG, GIF, WebP or BMP).';
  if (file.size > MAX_IMAGE_BYTES) return `This image is ${formatBytes(file.size)}; the limit is 5 MB.`;
  return null;
}

/** Create (no `existing`) or edit a category; resolves with the saved category, or null. */
async function categoryDialog(existing = null) {
  let category = existing;
  const image = imageField(existing);
  const fields = [
    field({ label: 'Name', name: 'name', value: existing?.name ?? '', required: true, maxlength: 50, autocomplete: 'off',
      hint: existing ? `Its address is /c/${existing.slug}; renaming changes it.` : 'Up to 50 characters. Its web address is made from it.' }),
    field({ label: 'Description', name: 'description', control: 'textarea', value: existing?.description ?? '', maxlength: 500,
      hint: 'Optional. Up to 500 characters, shown on the category page.' }),
    image.element,
  ];
  try {
    return await formDialog({
      title: existing ? `Edit “${existing.name}”` : 'New category',
      fields,
      submitLabel: existing ? 'Save changes' : 'Create category',
      wide: true,
      validate: (values) => {
        const problems = {};
        if (!values.name.trim()) problems.name = 'Give the category a name.';
        const imageProblem = checkImage(image.file);
        if (imageProblem) problems.image = imageProblem;
        return Object.keys(problems).length ? problems : null;
      },
      onSubmit: async (values, { form }) => {
        const body = { name: values.name.trim(), description: values.description.trim() || null };
        // 1. The category itself (created once; a retry after an image failure only updates it).
        try {
          if (!category) {
            category = await api.post('/api/categories/', body);
            image.setCategory(category);
          } else if (body.name !== category.name || (body.description ?? '') !== (category.description ?? '')) {
            if (body.description === null) body.description = ''; // PATCH: null means "unchanged"
            category = await api.patch(`/api/categories/${encodeURIComponent(category.id)}`, body);
          }
        } catch (error) {
          // "Category with name 'X' already exists" / "… slug …" / "must contain a letter" belong to the name.
          if (error instanceof ApiError && error.status === 400 && /name|slug/i.test(error.message)) {
            setFieldError(form, 'name', error.message);
            form.elements.name.focus();
            return undefined;
          }
          throw error;
        }
        // 2. The image.
        try {
          if (image.file) {
            const data = new FormData();
            data.append('file', image.file);
            category = await api.form(`/api/categories/${encodeURIComponent(category.id)}/image`, data);
          } else if (image.removeExisting && category.image_url) {
            await api.delete(`/api/categories/${encodeURIComponent(category.id)}/image`);
            category = { ...category, image_url: null, image_filename: null };
          }
        } catch (error) {
          setFieldError(form, 'image', error.message);
          setFormError(form, existing ? 'Your other changes are saved; the image was not.' : 'The category is created; the image was not uploaded.');
          form.elements.image.focus();
          return undefined;
        }
        return category;
      },
    });
  } finally {
    image.dispose();
    if (category && category !== existing) invalidateCategories();
  }
}

function categoryCard(category, { onEdit, onDelete }) {
  const titleId = `category-${category.id}`;
  return h('article', { class: 'cat-card', 'aria-labelledby': titleId, dataset: { id: category.id } },
    categoryArt(category, 'cat-card__art'),
    h('div', { class: 'cat-card__body' },
      h('h2', { class: 'cat-card__title', id: titleId }, h('a', { href: `/c/${encodeURIComponent(category.slug)}` }, category.name)),
      h('p', { class: 'cat-card__meta' }, h('span', { class: 'code-chip' }, `/c/${category.slug}`), ' ', plural(category.video_count, 'video')),
      category.description && h('p', { class: 'cat-card__description' }, category.description),
    ),
    h('div', { class: 'cat-card__actions' },
      h('button', { class: 'button button--ghost button--sm', type: 'button', 'aria-label': `Edit ${category.name}`, onClick: (e) => onEdit(category, e.currentTarget) },
        mIcon('edit'), h('span', {}, 'Edit')),
      h('button', { class: 'button button--ghost button--sm button--danger-ghost', type: 'button', 'aria-label': `Delete ${category.name}`, onClick: (e) => onDelete(category, e.currentTarget) },
        mIcon('trash'), h('span', {}, 'Delete'))),
  );
}

export default function render({ signal }) {
  let categories = [];
  const count = h('p', { class: 'muted admin-count', role: 'status' });
  const results = h('div', { class: 'admin-results' }, loadingState('Loading categories…'));

  const sortCategories = () => categories.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  async function create() {
    const created = await categoryDialog();
    if (!created) return;
    categories = [...categories.filter((c) => c.id !== created.id), created];
    sortCategories();
    toast(`Category “${created.name}” created.`, { tone: 'success' });
    show();
    results.querySelector(`[data-id="${CSS.escape(created.id)}"] a`)?.focus();
  }

  async function onEdit(category) {
    const saved = await categoryDialog(category);
    if (!saved) return;
    categories = categories.map((c) => (c.id === saved.id ? saved : c));
    sortCategories();
    toast(`“${saved.name}” saved.`, { tone: 'success' });
    show();
    results.querySelector(`[data-id="${CSS.escape(saved.id)}"] button`)?.focus();
  }

  async function onDelete(category, button) {
    const ok = await confirmDialog({
      title: `Delete “${category.name}”?`,
      message: category.video_count
        ? `Its ${plural(category.video_count, 'video')} stay on Clipset without a category. This cannot be undone.`
        : 'It has no videos. This cannot be undone.',
      confirmLabel: 'Delete category',
      danger: true,
    });
    if (!ok) return;
    button.disabled = true;
    try {
      await api.delete(`/api/categories/${encodeURIComponent(category.id)}`);
    } catch (error) {
      button.disabled = false;
      const card = button.closest('.cat-card');
      let line = card.querySelector('.row-error');
      if (!line) card.append(line = h('p', { class: 'field__error row-error', role: 'alert' }));
      line.textContent = `Couldn't delete it: ${error.message}`;
      return;
    }
    invalidateCategories();
    const index = categories.findIndex((c) => c.id === category.id);
    categories = categories.filter((c) => c.id !== category.id);
    toast(`“${category.name}” deleted.`, { tone: 'success' });
    show();
    const buttons = results.querySelectorAll('.cat-card a');
    (buttons[Math.min(index, buttons.length - 1)] ?? newButton).focus();
  }

  function show() {
    count.textContent = plural(categories.length, 'category', 'categories');
    results.replaceChildren(categories.length
      ? h('ul', { class: 'cat-grid', role: 'list', 'aria-label': 'Categories' },
        categories.map((category) => h('li', {}, categoryCard(category, { onEdit, onDelete }))))
      : emptyState({
        icon: 'grid', title: 'No categories yet', headingLevel: 'h2',
        text: 'Categories help people find videos. Uploaders pick one for each video.',
        actions: [h('button', { class: 'button button--primary', type: 'button', onClick: create }, mIcon('plus'), 'Create the first one')],
      }));
  }

  async function load() {
    try {
      const answer = await api.get('/api/categories/', { signal });
      categories = answer?.categories ?? [];
      show();
    } catch (error) {
      if (isAbortError(error)) return;
      results.replaceChildren(errorState(error, { onRetry: () => { results.replaceChildren(loadingState()); load(); } }));
    }
  }
  load();

  const newButton = h('button', { class: 'button button--primary', type: 'button', onClick: create }, mIcon('plus'), 'New category');
  return { actions: [newButton], content: h('div', {}, count, results) };
}
