/** The part of an Express request the route label needs: `route` is the last route Express matched. */
export interface RoutedRequest {
  route?: { path?: unknown };
}

export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The route template (`/api/v1/opportunities/:id/complete_action`), never the raw URL: ids in a label would
 * make one time series per opportunity. Nest mounts middleware as catch-all routes (`/api/v1/{*path}`), so a
 * wildcard template means no handler matched (a 404, a static file): those share one label. NAT's own
 * handlers have no wildcard paths.
 */
export function routeLabel(request: RoutedRequest): string {
  const path = request.route?.path;
  if (typeof path !== 'string' || path.includes('*')) return UNMATCHED_ROUTE;
  return path;
}
