import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash } from './routes';
import type { Route } from './routes';

function check(hash: string, expected: Route) {
  expect(parseRoute(hash), `parseRoute(${JSON.stringify(hash)})`).toEqual(expected);
}

const ID = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

describe('parseRoute', () => {
  it('opens the client list when there is no hash', () => {
    check('', { screen: 'clients' });
    check('#', { screen: 'clients' });
    check('#/', { screen: 'clients' });
  });

  it('reads each client screen', () => {
    check('#/clients', { screen: 'clients' });
    check('#/clients/', { screen: 'clients' });
    check('#/clients/new', { screen: 'client-new' });
    check(`#/clients/${ID}`, { screen: 'client', id: ID });
    check(`#/clients/${ID}/edit`, { screen: 'client-edit', id: ID });
    check(`#/clients/${ID}/edit/`, { screen: 'client-edit', id: ID });
  });

  it('ignores a query string after the path', () => {
    check(`#/clients/${ID}?tab=photos`, { screen: 'client', id: ID });
  });

  it('decodes escaped ids', () => {
    check('#/clients/a%20b', { screen: 'client', id: 'a b' });
  });

  it('reports unknown or malformed addresses as not found', () => {
    check('#/sessions', { screen: 'not-found', path: '/sessions' });
    check('#/clients/new/edit', { screen: 'not-found', path: '/clients/new/edit' });
    check(`#/clients/${ID}/delete`, { screen: 'not-found', path: `/clients/${ID}/delete` });
    check(`#/clients/${ID}/edit/more`, { screen: 'not-found', path: `/clients/${ID}/edit/more` });
    check('#/clients/%E0%A4%A', { screen: 'not-found', path: '/clients/%E0%A4%A' });
  });
});

describe('routeHash', () => {
  it('formats each screen', () => {
    expect(routeHash({ screen: 'clients' })).toBe('#/clients');
    expect(routeHash({ screen: 'client-new' })).toBe('#/clients/new');
    expect(routeHash({ screen: 'client', id: ID })).toBe(`#/clients/${ID}`);
    expect(routeHash({ screen: 'client-edit', id: ID })).toBe(`#/clients/${ID}/edit`);
  });

  it('round-trips through parseRoute, even for ids that need escaping', () => {
    const routes: Route[] = [
      { screen: 'clients' },
      { screen: 'client-new' },
      { screen: 'client', id: ID },
      { screen: 'client', id: 'a/b c?' },
      { screen: 'client-edit', id: 'x#y' },
    ];
    for (const route of routes) expect(parseRoute(routeHash(route))).toEqual(route);
  });
});
