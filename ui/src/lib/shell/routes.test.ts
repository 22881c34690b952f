import { describe, expect, it } from 'vitest';
import { isFull, parseRoute, routeHash, section } from './routes';
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

  it('reads the sections of a client page', () => {
    check(`#/clients/${ID}/plan`, { screen: 'client', id: ID, tab: 'plan' });
    check(`#/clients/${ID}/screening`, { screen: 'client', id: ID, tab: 'screening' });
    check(`#/clients/${ID}/consents`, { screen: 'client', id: ID, tab: 'consents' });
    check(`#/clients/${ID}/photos`, { screen: 'client', id: ID, tab: 'photos' });
    check(`#/clients/${ID}/sessions`, { screen: 'client', id: ID, tab: 'sessions' });
  });

  it('opens the timeline when a client page has no section, and reads "/timeline" the same', () => {
    check(`#/clients/${ID}`, { screen: 'client', id: ID });
    check(`#/clients/${ID}/timeline`, { screen: 'client', id: ID });
  });

  it('reads each session screen', () => {
    check(`#/clients/${ID}/sessions/new`, { screen: 'session-new', clientId: ID });
    check(`#/sessions/${ID}`, { screen: 'session', id: ID });
    check(`#/sessions/${ID}/edit`, { screen: 'session-edit', id: ID });
    check(`#/sessions/${ID}/amend`, { screen: 'session-amend', id: ID });
  });

  it('reads the comparison viewer, for a client or for two photos', () => {
    check(`#/clients/${ID}/compare`, { screen: 'client-compare', clientId: ID });
    check('#/compare/a1/b2', { screen: 'compare', first: 'a1', second: 'b2' });
  });

  it('reads settings and lot recall, with the lot number searched for', () => {
    check('#/settings', { screen: 'settings' });
    check('#/recall', { screen: 'recall' });
    check('#/recall/C25-041', { screen: 'recall', lot: 'C25-041' });
    check('#/recall/LOT%2F7', { screen: 'recall', lot: 'LOT/7' });
  });

  it('reports unknown or malformed addresses as not found', () => {
    check('#/sessions', { screen: 'not-found', path: '/sessions' });
    check(`#/sessions/${ID}/sign`, { screen: 'not-found', path: `/sessions/${ID}/sign` });
    check('#/clients/new/sessions/new', { screen: 'not-found', path: '/clients/new/sessions/new' });
    check(`#/clients/${ID}/gallery`, { screen: 'not-found', path: `/clients/${ID}/gallery` });
    check(`#/compare/${ID}`, { screen: 'not-found', path: `/compare/${ID}` });
    check(`#/compare/${ID}/${ID}/more`, { screen: 'not-found', path: `/compare/${ID}/${ID}/more` });
    check('#/settings/zones', { screen: 'not-found', path: '/settings/zones' });
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
    expect(routeHash({ screen: 'client', id: ID, tab: 'timeline' })).toBe(`#/clients/${ID}`);
    expect(routeHash({ screen: 'client', id: ID, tab: 'sessions' })).toBe(`#/clients/${ID}/sessions`);
    expect(routeHash({ screen: 'client', id: ID, tab: 'consents' })).toBe(`#/clients/${ID}/consents`);
    expect(routeHash({ screen: 'session-new', clientId: ID })).toBe(`#/clients/${ID}/sessions/new`);
    expect(routeHash({ screen: 'session-amend', id: ID })).toBe(`#/sessions/${ID}/amend`);
    expect(routeHash({ screen: 'recall', lot: '' })).toBe('#/recall');
  });

  it('round-trips through parseRoute, even for ids that need escaping', () => {
    const routes: Route[] = [
      { screen: 'clients' },
      { screen: 'client-new' },
      { screen: 'client', id: ID },
      { screen: 'client', id: 'a/b c?' },
      { screen: 'client-edit', id: 'x#y' },
      { screen: 'client', id: ID, tab: 'plan' },
      { screen: 'session-new', clientId: 'a/b' },
      { screen: 'session', id: ID },
      { screen: 'session-edit', id: ID },
      { screen: 'session-amend', id: ID },
      { screen: 'settings' },
      { screen: 'recall' },
      { screen: 'recall', lot: 'A 1/2' },
      { screen: 'client', id: ID, tab: 'photos' },
      { screen: 'client', id: ID, tab: 'sessions' },
      { screen: 'client-compare', clientId: ID },
      { screen: 'compare', first: 'a/1', second: 'b 2' },
    ];
    for (const route of routes) expect(parseRoute(routeHash(route))).toEqual(route);
  });
});

describe('section', () => {
  it('puts session screens under clients, and settings and recall in their own sections', () => {
    expect(section({ screen: 'session', id: ID })).toBe('clients');
    expect(section({ screen: 'session-new', clientId: ID })).toBe('clients');
    expect(section({ screen: 'settings' })).toBe('settings');
    expect(section({ screen: 'recall', lot: 'X' })).toBe('recall');
    expect(section({ screen: 'not-found', path: '/x' })).toBeNull();
    expect(section({ screen: 'compare', first: 'a', second: 'b' })).toBe('clients');
  });
});

describe('isFull', () => {
  it('gives the comparison viewer the whole window and keeps other screens centred', () => {
    expect(isFull({ screen: 'compare', first: 'a', second: 'b' })).toBe(true);
    expect(isFull({ screen: 'client-compare', clientId: ID })).toBe(true);
    expect(isFull({ screen: 'client', id: ID, tab: 'photos' })).toBe(false);
  });
});
