import { combineLocal, endOfTodayIn, formatMoney, quickPicks, relativeDue } from './time';

describe('relativeDue', () => {
  const now = new Date('2026-11-26T12:00:00Z');

  it.each([
    ['2026-11-24T12:00:00Z', '2 days overdue'],
    ['2026-11-26T11:00:00Z', '1 hour overdue'],
    ['2026-11-26T11:59:30Z', '1 minute overdue'],
    ['2026-11-26T15:00:00Z', 'due in 3 hours'],
    ['2026-11-27T12:00:00Z', 'due tomorrow'],
    ['2026-11-27T23:30:00Z', 'due tomorrow'],
    ['2026-11-28T00:30:00Z', 'due in 2 days'],
    ['2026-11-25T10:00:00Z', '1 day overdue'],
    ['2026-11-26T00:10:00Z', '12 hours overdue'],
  ])('describes %s as "%s"', (at, expected) => {
    expect(relativeDue(new Date(at), now)).toBe(expected);
  });
});

describe('endOfTodayIn', () => {
  it('is the next local midnight of the zone', () => {
    // 22:00 in New York on Nov 25 is 03:00Z on Nov 26: New York's today ends at 05:00Z on Nov 26.
    expect(endOfTodayIn('America/New_York', new Date('2026-11-26T03:00:00Z')).toISOString()).toBe(
      '2026-11-26T05:00:00.000Z',
    );
    expect(endOfTodayIn('Asia/Kolkata', new Date('2026-11-26T03:00:00Z')).toISOString()).toBe(
      '2026-11-26T18:30:00.000Z',
    );
    expect(endOfTodayIn('UTC', new Date('2026-11-26T23:59:59Z')).toISOString()).toBe(
      '2026-11-27T00:00:00.000Z',
    );
  });

  it('follows a daylight saving change overnight', () => {
    // Berlin leaves summer time on 2026-10-25 at 03:00 local: that day lasts 25 hours.
    expect(endOfTodayIn('Europe/Berlin', new Date('2026-10-24T12:00:00Z')).toISOString()).toBe(
      '2026-10-24T22:00:00.000Z',
    );
    expect(endOfTodayIn('Europe/Berlin', new Date('2026-10-25T12:00:00Z')).toISOString()).toBe(
      '2026-10-25T23:00:00.000Z',
    );
  });
});

describe('combineLocal', () => {
  it('puts an HH:mm time on a picked day, in local time', () => {
    const at = combineLocal(new Date(2026, 10, 27), '14:30');
    expect(at?.getFullYear()).toBe(2026);
    expect(at?.getDate()).toBe(27);
    expect(at?.getHours()).toBe(14);
    expect(at?.getMinutes()).toBe(30);
  });

  it('refuses an incomplete time', () => {
    expect(combineLocal(new Date(), '9')).toBeNull();
  });
});

describe('quickPicks', () => {
  it('offers tomorrow 9:00, in 3 days and next Monday 9:00, all in the future', () => {
    const thursday = new Date(2026, 10, 26, 16, 45);
    const [tomorrow, inThreeDays, monday] = quickPicks(thursday);
    expect([tomorrow.label, inThreeDays.label, monday.label]).toEqual([
      'Tomorrow 9:00',
      'In 3 days',
      'Next Monday 9:00',
    ]);
    expect(tomorrow.at).toEqual(new Date(2026, 10, 27, 9, 0));
    expect(inThreeDays.at).toEqual(new Date(2026, 10, 29, 9, 0));
    expect(monday.at).toEqual(new Date(2026, 10, 30, 9, 0));
  });

  it('on a Monday, next Monday is a week away', () => {
    const monday = new Date(2026, 10, 30, 8, 0);
    expect(quickPicks(monday)[2].at).toEqual(new Date(2026, 11, 7, 9, 0));
  });
});

describe('formatMoney', () => {
  it("shows the tenant's currency, without cents for whole amounts", () => {
    expect(formatMoney(50000, 'USD')).toMatch(/50,000/);
    expect(formatMoney(50000, 'USD')).not.toMatch(/\.00/);
    expect(formatMoney(10.5, 'EUR')).toMatch(/10\.50/);
  });
});
