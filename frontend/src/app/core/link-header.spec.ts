import { nextCursor } from './link-header';

describe('nextCursor', () => {
  it('reads the cursor of the rel="next" link', () => {
    expect(nextCursor('</api/v1/opportunities/due?limit=2&cursor=abc_123>; rel="next"')).toBe('abc_123');
  });

  it('finds rel="next" among several links', () => {
    expect(nextCursor('</x?cursor=a>; rel="prev", </x?cursor=b>; rel="next"')).toBe('b');
  });

  it('is null on the last page', () => {
    expect(nextCursor(null)).toBeNull();
    expect(nextCursor('</x?cursor=a>; rel="prev"')).toBeNull();
  });
});
