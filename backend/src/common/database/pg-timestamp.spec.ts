import { isoFromPg } from './pg-timestamp';

describe('isoFromPg', () => {
  it.each([
    ['2026-11-26 09:01:50.172+00', '2026-11-26T09:01:50.172Z'],
    ['2026-11-26 09:01:50.17+00', '2026-11-26T09:01:50.170Z'],
    ['2026-11-26 09:01:50+00', '2026-11-26T09:01:50.000Z'],
    ['2026-11-26 09:01:50.1234+00', '2026-11-26T09:01:50.123Z'],
  ])('writes %s of a UTC session as Date#toISOString would', (text, iso) => {
    expect(isoFromPg(text)).toBe(iso);
    expect(isoFromPg(text)).toBe(new Date(iso).toISOString());
  });

  it.each([
    ['2026-11-26 10:01:50.172+01', '2026-11-26T09:01:50.172Z'],
    ['2026-11-26 14:31:50.172+05:30', '2026-11-26T09:01:50.172Z'],
    ['2026-11-26 06:01:50-03', '2026-11-26T09:01:50.000Z'],
  ])('converts %s of a session in another time zone exactly', (text, iso) => {
    expect(isoFromPg(text)).toBe(iso);
  });
});
