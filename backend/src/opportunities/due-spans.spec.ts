import { dueIntervals, planInterval } from './due-spans';

const at = (iso: string) => new Date(iso);

describe('planInterval', () => {
  it('counts whole UTC days from the buckets and the partial days at both ends from the deals', () => {
    expect(planInterval(at('2026-07-10T15:00:00Z'), at('2026-07-15T12:00:00Z'))).toEqual({
      days: { firstDay: '2026-07-11', lastDay: '2026-07-15' },
      deals: [
        { from: at('2026-07-10T15:00:00Z'), to: at('2026-07-11T00:00:00Z') },
        { from: at('2026-07-15T00:00:00Z'), to: at('2026-07-15T12:00:00Z') },
      ],
    });
  });

  it('has no lower bound without a start: every day before the last one, then its partial day', () => {
    expect(planInterval(undefined, at('2026-07-15T12:00:00Z'))).toEqual({
      days: { firstDay: '-infinity', lastDay: '2026-07-15' },
      deals: [{ from: at('2026-07-15T00:00:00Z'), to: at('2026-07-15T12:00:00Z') }],
    });
  });

  it('needs no deal scan when both ends fall on midnight', () => {
    expect(planInterval(at('2026-07-10T00:00:00Z'), at('2026-07-12T00:00:00Z'))).toEqual({
      days: { firstDay: '2026-07-10', lastDay: '2026-07-12' },
      deals: [],
    });
  });

  it('counts an interval without a whole day from the deals alone', () => {
    expect(planInterval(at('2026-07-10T05:00:00Z'), at('2026-07-11T04:00:00Z'))).toEqual({
      deals: [{ from: at('2026-07-10T05:00:00Z'), to: at('2026-07-11T04:00:00Z') }],
    });
  });

  it('is empty when the end is not after the start', () => {
    expect(planInterval(at('2026-07-10T05:00:00Z'), at('2026-07-10T05:00:00Z'))).toEqual({ deals: [] });
    expect(planInterval(at('2026-07-12T00:00:00Z'), at('2026-07-10T00:00:00Z'))).toEqual({ deals: [] });
  });

  it('covers every millisecond of the interval exactly once', () => {
    const from = at('2026-03-28T23:59:59.999Z');
    const to = at('2026-04-02T00:00:00.001Z');
    const { days, deals } = planInterval(from, to);
    const dayMs = days ? Date.parse(days.lastDay) - Date.parse(days.firstDay) : 0;
    const dealMs = deals.reduce((sum, range) => sum + (range.to.getTime() - range.from.getTime()), 0);
    expect(dayMs + dealMs).toBe(to.getTime() - from.getTime());
  });
});

describe('dueIntervals', () => {
  const now = at('2026-07-15T12:00:00Z');

  it('splits the window at now into overdue and due today', () => {
    const { overdue, today } = dueIntervals(now, undefined, at('2026-07-16T04:00:00Z'));
    expect(overdue.days?.lastDay).toBe('2026-07-15');
    expect(today).toEqual({ deals: [{ from: now, to: at('2026-07-16T04:00:00Z') }] });
  });

  it('has nothing overdue when the window starts after now, and nothing due today when it ends before', () => {
    expect(dueIntervals(now, at('2026-07-15T18:00:00Z'), at('2026-07-17T00:00:00Z')).overdue).toEqual({
      deals: [],
    });
    expect(dueIntervals(now, undefined, at('2026-07-15T11:00:00Z')).today).toEqual({ deals: [] });
  });
});
