// The current screen, kept in step with the location hash.
import { parseRoute, routeHash } from './routes';
import type { Route } from './routes';

class Router {
  route: Route = $state(parseRoute(window.location.hash));

  constructor() {
    window.addEventListener('hashchange', () => {
      this.route = parseRoute(window.location.hash);
    });
  }

  /**
   * Shows `route`. With `replace`, the current history entry is overwritten
   * (after saving a form, Back should not return to the form).
   */
  navigate(route: Route, { replace = false } = {}) {
    const hash = routeHash(route);
    if (replace) {
      window.history.replaceState(window.history.state, '', hash);
      this.route = parseRoute(hash);
    } else if (window.location.hash !== hash) {
      window.location.hash = hash;
    } else {
      this.route = parseRoute(hash);
    }
  }
}

export const router = new Router();
