// The app's screens and their addresses in the URL hash ("#/clients/<id>").
// Parsing and formatting only; router.svelte.ts follows the live location.

export type Route =
  | { screen: 'clients' }
  | { screen: 'client-new' }
  | { screen: 'client'; id: string }
  | { screen: 'client-edit'; id: string }
  | { screen: 'not-found'; path: string };

export const DEFAULT_ROUTE: Route = { screen: 'clients' };

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
  if (parts[0] !== 'clients') return { screen: 'not-found', path };
  const [, id, action] = parts;
  if (parts.length === 1) return { screen: 'clients' };
  if (parts.length === 2) return id === 'new' ? { screen: 'client-new' } : { screen: 'client', id };
  if (parts.length === 3 && action === 'edit' && id !== 'new') return { screen: 'client-edit', id };
  return { screen: 'not-found', path };
}

/** The hash for a screen, for `href` and navigation: "#/clients/<id>". */
export function routeHash(route: Route): string {
  switch (route.screen) {
    case 'clients':
      return '#/clients';
    case 'client-new':
      return '#/clients/new';
    case 'client':
      return `#/clients/${encodeURIComponent(route.id)}`;
    case 'client-edit':
      return `#/clients/${encodeURIComponent(route.id)}/edit`;
    case 'not-found':
      return `#${route.path}`;
  }
}

/** The sidebar section a screen belongs to. */
export function section(route: Route): 'clients' | null {
  return route.screen === 'not-found' ? null : 'clients';
}
