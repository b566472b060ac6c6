import type { Request, Response } from 'express';
import { encodeCursor, type KeysetPosition } from './cursor';

export interface Page<T> {
  items: T[];
  next?: KeysetPosition;
}

/** Keeps the first `limit` rows of a `limit + 1` fetch; the extra row only says that more remain. */
export function toPage<T>(rows: T[], limit: number, positionOf: (row: T) => KeysetPosition): Page<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, next: positionOf(items[items.length - 1]) };
}

/**
 * RFC 8288 `Link: <…>; rel="next"`, a path-absolute reference to the same query with the next cursor,
 * so it stays right behind any proxy that rewrites the host.
 */
export function setNextLink(request: Request, response: Response, next: KeysetPosition | undefined): void {
  if (!next) return;
  const url = new URL(request.originalUrl, 'http://placeholder');
  url.searchParams.set('cursor', encodeCursor(next));
  response.setHeader('Link', `<${url.pathname}${url.search}>; rel="next"`);
}
