/** The cursor of the `rel="next"` target of an RFC 8288 Link header, or null on the last page. */
export function nextCursor(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return new URL(match[1], 'http://placeholder').searchParams.get('cursor');
  }
  return null;
}
