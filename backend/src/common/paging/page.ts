import type { Request, Response } from 'express';
import { encodeCursor, type KeysetPosition } from './cursor';

export interface Page<T> {
  items: T[];
  /** The cursor of the next page, when more rows remain. */
  next?: string;
}

/** Keeps the first `limit` rows of a `limit + 1` fetch; the extra row only says that more remain. */
export function toPage<T>(
  rows: T[],
  limit: number,
  ordering: string,
  positionOf: (row: T) => KeysetPosition,
): Page<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, next: encodeCursor(ordering, positionOf(items[items.length - 1])) };
}

export function mapPage<T, U>(page: Page<T>, map: (item: T) => U): Page<U> {
  return { items: page.items.map(map), next: page.next };
}

/**
 * RFC 8288 `Link: <…>; rel="next"`, a path-absolute reference to the same query with the next cursor,
 * so it stays right behind any proxy that rewrites the host.
 */
export function setNextLink(request: Request, response: Response, next: string | undefined): void {
  if (!next) return;
  const url = new URL(request.originalUrl, 'http://placeholder');
  url.searchParams.set('cursor', next);
  response.setHeader('Link', `<${url.pathname}${url.search}>; rel="next"`);
}

/** The `Link` response header of every keyset-paged list, for the spec. */
export const LINK_HEADER = {
  Link: {
    description: 'Present when more rows remain: `<url>; rel="next"`, the same query with the next cursor',
    schema: {
      type: 'string',
      example: '</api/v1/opportunities/due?limit=100&cursor=eyJhdCI6Ij…>; rel="next"',
    },
  },
};
