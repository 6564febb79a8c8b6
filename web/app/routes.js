/**
 * Every page of the app: path → lazily loaded page module (one module per page in ./pages/).
 *
 * Options:
 *   title   the document title until the page sets its own with ctx.setTitle()
 *   auth    true: signed-in users only (others go to /login?next=<this URL>)
 *   admin   true: administrators only (others see a "not allowed" page)
 *   guest   true: signed-out users only (signed-in users go to ?next= or home)
 *   nav     which main-navigation link is marked current (data-nav in index.html)
 *
 * Order matters: the first match wins.
 */
export const routes = [
  // Browse
  { path: '/', load: () => import('./pages/home.js'), title: 'Home', auth: true, nav: 'home' },
  { path: '/categories', load: () => import('./pages/categories.js'), title: 'Categories', auth: true, nav: 'categories' },
  { path: '/c/:slug', load: () => import('./pages/category.js'), title: 'Category', auth: true, nav: 'categories' },
  { path: '/users', load: () => import('./pages/users.js'), title: 'People', auth: true, nav: 'users' },
  { path: '/u/:username', load: () => import('./pages/user.js'), title: 'Profile', auth: true, nav: 'users' },

  // Accounts
  { path: '/login', load: () => import('./pages/login.js'), title: 'Sign in', guest: true },
  { path: '/register/:token', load: () => import('./pages/register.js'), title: 'Create your account' },
  { path: '/forgot-password', load: () => import('./pages/forgot-password.js'), title: 'Forgot password' },
  { path: '/reset-password', load: () => import('./pages/reset-password.js'), title: 'Choose a new password' },

  // Placeholders: built next by other engineers (each is its own module; replace its body).
  { path: '/upload', load: () => import('./pages/upload.js'), title: 'Upload', auth: true, nav: 'upload' },
  { path: '/my/videos', load: () => import('./pages/my-videos.js'), title: 'My videos', auth: true },
  { path: '/v/:shortId', load: () => import('./pages/watch.js'), title: 'Watch', auth: true },
  { path: '/playlists', load: () => import('./pages/playlists.js'), title: 'Playlists', auth: true, nav: 'playlists' },
  { path: '/p/:shortId', load: () => import('./pages/playlist.js'), title: 'Playlist', auth: true, nav: 'playlists' },
  { path: '/notifications', load: () => import('./pages/notifications.js'), title: 'Notifications', auth: true },
  { path: '/settings/notifications', load: () => import('./pages/notification-settings.js'), title: 'Notification settings', auth: true },
  { path: '/admin', load: () => import('./pages/admin.js'), title: 'Admin', auth: true, admin: true },
  { path: '/admin/*', load: () => import('./pages/admin.js'), title: 'Admin', auth: true, admin: true },
];
