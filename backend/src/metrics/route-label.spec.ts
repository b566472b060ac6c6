import { routeLabel, UNMATCHED_ROUTE } from './route-label';

describe('routeLabel', () => {
  it('is the matched route template, with its parameters unresolved', () => {
    expect(routeLabel({ route: { path: '/api/v1/opportunities/:id/complete_action' } })).toBe(
      '/api/v1/opportunities/:id/complete_action',
    );
  });

  it('is "unmatched" when no route matched', () => {
    expect(routeLabel({})).toBe(UNMATCHED_ROUTE);
  });

  it('is "unmatched" when only a catch-all middleware mount matched', () => {
    expect(routeLabel({ route: { path: '/api/v1/{*path}' } })).toBe(UNMATCHED_ROUTE);
    expect(routeLabel({ route: { path: '{*path}' } })).toBe(UNMATCHED_ROUTE);
  });

  it('is "unmatched" for a route path that is not a string (a regular expression)', () => {
    expect(routeLabel({ route: { path: /^\/x/ } })).toBe(UNMATCHED_ROUTE);
  });
});
