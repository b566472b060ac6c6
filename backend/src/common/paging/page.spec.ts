import type { Request, Response } from 'express';
import { decodeCursor } from './cursor';
import { setNextLink, toPage } from './page';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const rows = [1, 2, 3].map((n) => ({ value: n * 10, id: id(n) }));

describe('pages', () => {
  it('keeps limit rows and points the next page at the last one kept', () => {
    const page = toPage(rows, 2, 'list:value', (row) => row);
    expect(page.items).toEqual(rows.slice(0, 2));
    expect(decodeCursor(page.next!, 'list:value')).toEqual(rows[1]);
  });

  it('has no next page when the extra row is missing', () => {
    expect(toPage(rows, 3, 'list:value', (row) => row)).toEqual({ items: rows });
  });

  it('links the next page with the same query and a new cursor', () => {
    const headers: Record<string, string> = {};
    const request = {
      originalUrl: '/api/v1/opportunities/due?limit=2&until=2026-12-01T00:00:00Z&cursor=old',
    };
    const response = { setHeader: (name: string, value: string) => (headers[name] = value) };
    setNextLink(request as Request, response as unknown as Response, 'NEXT_CURSOR');
    const match = /^<(.+)>; rel="next"$/.exec(headers.Link);
    expect(match).not.toBeNull();
    const url = new URL(match![1], 'http://x');
    expect(url.pathname).toBe('/api/v1/opportunities/due');
    expect(url.searchParams.get('limit')).toBe('2');
    expect(url.searchParams.get('until')).toBe('2026-12-01T00:00:00Z');
    expect(url.searchParams.get('cursor')).toBe('NEXT_CURSOR');
  });

  it('sets no Link header on the last page', () => {
    const response = { setHeader: jest.fn() };
    setNextLink({ originalUrl: '/x' } as Request, response as unknown as Response, undefined);
    expect(response.setHeader).not.toHaveBeenCalled();
  });
});
