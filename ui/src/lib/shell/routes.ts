// The app's screens and their addresses in the URL hash ("#/clients/<id>").
// Parsing and formatting only; router.svelte.ts follows the live location.

/** The sections of a client's page; `timeline` is the default and has no suffix. */
export const CLIENT_TABS = ['timeline', 'sessions', 'photos', 'plan', 'screening', 'consents', 'access'] as const;
export type ClientTab = (typeof CLIENT_TABS)[number];
/** The section a client's page opens on: the progress timeline. */
export const DEFAULT_CLIENT_TAB: ClientTab = 'timeline';

export type Route =
  | { screen: 'clients' }
  | { screen: 'client-new' }
  | { screen: 'client'; id: string; tab?: ClientTab }
  | { screen: 'client-edit'; id: string }
  | { screen: 'client-compare'; clientId: string }
  | { screen: 'compare'; first: string; second: string }
  | { screen: 'session-new'; clientId: string }
  | { screen: 'session'; id: string }
  | { screen: 'session-edit'; id: string }
  | { screen: 'session-amend'; id: string }
  | { screen: 'settings' }
  | { screen: 'cosign' }
  | { screen: 'recall'; lot?: string }
  | { screen: 'not-found'; path: string };

export const DEFAULT_ROUTE: Route = { screen: 'clients' };

function isClientTab(value: string): value is ClientTab {
  return (CLIENT_TABS as readonly string[]).includes(value);
}

function clientRoute(parts: string[]): Route | null {
  const [, id, action, more] = parts;
  if (parts.length === 1) return { screen: 'clients' };
  if (id === 'new') return parts.length === 2 ? { screen: 'client-new' } : null;
  if (parts.length === 2) return { screen: 'client', id };
  if (parts.length === 3 && action === 'edit') return { screen: 'client-edit', id };
  if (parts.length === 3 && action === 'compare') return { screen: 'client-compare', clientId: id };
  // The default section is reached without a suffix; "/timeline" reads the same.
  if (parts.length === 3 && action === DEFAULT_CLIENT_TAB) return { screen: 'client', id };
  if (parts.length === 3 && isClientTab(action)) return { screen: 'client', id, tab: action };
  if (parts.length === 4 && action === 'sessions' && more === 'new') return { screen: 'session-new', clientId: id };
  return null;
}

function sessionRoute(parts: string[]): Route | null {
  const [, id, action] = parts;
  if (id === undefined) return null;
  if (parts.length === 2) return { screen: 'session', id };
  if (parts.length === 3 && action === 'edit') return { screen: 'session-edit', id };
  if (parts.length === 3 && action === 'amend') return { screen: 'session-amend', id };
  return null;
}

/** The screen for a location hash such as "#/clients/0190…/edit". Empty means the default screen. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').split(/[?]/, 1)[0];
  let parts: string[];
  try {
    parts = path
      .split('/')
      .filter((part) => part !== '')
      .map((part) => decodeURIComponent(part));
  } catch {
    return { screen: 'not-found', path };
  }

  if (parts.length === 0) return DEFAULT_ROUTE;
  let route: Route | null = null;
  switch (parts[0]) {
    case 'clients':
      route = clientRoute(parts);
      break;
    case 'sessions':
      route = sessionRoute(parts);
      break;
    case 'compare':
      route = parts.length === 3 ? { screen: 'compare', first: parts[1], second: parts[2] } : null;
      break;
    case 'settings':
      route = parts.length === 1 ? { screen: 'settings' } : null;
      break;
    case 'cosign':
      route = parts.length === 1 ? { screen: 'cosign' } : null;
      break;
    case 'recall':
      if (parts.length === 1) route = { screen: 'recall' };
      else if (parts.length === 2) route = { screen: 'recall', lot: parts[1] };
      break;
  }
  return route ?? { screen: 'not-found', path };
}

/** The hash for a screen, for `href` and navigation: "#/clients/<id>". */
export function routeHash(route: Route): string {
  switch (route.screen) {
    case 'clients':
      return '#/clients';
    case 'client-new':
      return '#/clients/new';
    case 'client':
      return route.tab === undefined || route.tab === DEFAULT_CLIENT_TAB
        ? `#/clients/${encodeURIComponent(route.id)}`
        : `#/clients/${encodeURIComponent(route.id)}/${route.tab}`;
    case 'client-edit':
      return `#/clients/${encodeURIComponent(route.id)}/edit`;
    case 'client-compare':
      return `#/clients/${encodeURIComponent(route.clientId)}/compare`;
    case 'compare':
      return `#/compare/${encodeURIComponent(route.first)}/${encodeURIComponent(route.second)}`;
    case 'session-new':
      return `#/clients/${encodeURIComponent(route.clientId)}/sessions/new`;
    case 'session':
      return `#/sessions/${encodeURIComponent(route.id)}`;
    case 'session-edit':
      return `#/sessions/${encodeURIComponent(route.id)}/edit`;
    case 'session-amend':
      return `#/sessions/${encodeURIComponent(route.id)}/amend`;
    case 'settings':
      return '#/settings';
    case 'cosign':
      return '#/cosign';
    case 'recall':
      return route.lot === undefined || route.lot === '' ? '#/recall' : `#/recall/${encodeURIComponent(route.lot)}`;
    case 'not-found':
      return `#${route.path}`;
  }
}

export type Section = 'clients' | 'cosign' | 'recall' | 'settings';

/** The sidebar section a screen belongs to. */
export function section(route: Route): Section | null {
  switch (route.screen) {
    case 'not-found':
      return null;
    case 'settings':
      return 'settings';
    case 'cosign':
      return 'cosign';
    case 'recall':
      return 'recall';
    default:
      return 'clients';
  }
}

/** Screens that use the wide layout (a form with a panel beside it). */
export function isWide(route: Route): boolean {
  return ['session-new', 'session-edit', 'session-amend', 'recall'].includes(route.screen);
}

/** Screens that use the whole window beside the sidebar (the comparison viewer). */
export function isFull(route: Route): boolean {
  return route.screen === 'compare' || route.screen === 'client-compare';
}
