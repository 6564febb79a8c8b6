/** /categories: every category as a tile (image or a colour), with its video count. */
import { getCategories } from '../data.js';
import { h } from '../ui/dom.js';
import { emptyState, page, pageHeader } from '../ui/page.js';
import { categoryTile } from '../ui/tiles.js';

export default async function render({ signal }) {
  const categories = await getCategories({ signal });
  return page({},
    pageHeader({ title: 'Categories', lead: 'Browse videos by topic.' }),
    categories.length
      ? h('ul', { class: 'card-grid card-grid--compact', role: 'list', 'aria-label': 'Categories' },
        categories.map((category) => h('li', {}, categoryTile(category))))
      : emptyState({ icon: 'grid', title: 'No categories yet', text: 'Administrators can add categories; videos can then be filed under them.' }),
  );
}
