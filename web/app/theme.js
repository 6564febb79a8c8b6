// Applies the saved theme (light, dark, or the system's) before the first paint.
// A classic script loaded from <head> so the page never flashes the wrong colours;
// ui/theme.js changes the choice later. Kept tiny and free of imports on purpose.
(function () {
  try {
    var theme = localStorage.getItem('clipset.theme');
    if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  } catch (e) { /* storage unavailable: follow the system */ }
})();
