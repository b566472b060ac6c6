/** A half-open interval of next-action times, [from, to). */
export interface TimeRange {
  from: Date;
  to: Date;
}

/**
 * How one interval of the due summary is counted: the whole UTC days inside it from pipeline_buckets
 * ([firstDay, lastDay), ISO dates, `-infinity` for no lower bound), and the rest, at most a partial day at each
 * end, from the deals themselves.
 */
export interface IntervalPlan {
  days?: { firstDay: string; lastDay: string };
  deals: TimeRange[];
}

const DAY_MS = 86_400_000;

const isoDay = (time: number): string => new Date(time).toISOString().slice(0, 10);

/** Splits [from, to) (from undefined: since ever) into whole UTC days and the partial days at its ends. */
export function planInterval(from: Date | undefined, to: Date): IntervalPlan {
  if (from && from >= to) return { deals: [] };
  const lastDay = Math.floor(to.getTime() / DAY_MS) * DAY_MS;
  const firstDay = from === undefined ? undefined : Math.ceil(from.getTime() / DAY_MS) * DAY_MS;
  if (firstDay !== undefined && firstDay >= lastDay) return { deals: [{ from: from!, to }] };
  const deals: TimeRange[] = [];
  if (from && firstDay! > from.getTime()) deals.push({ from, to: new Date(firstDay!) });
  if (to.getTime() > lastDay) deals.push({ from: new Date(lastDay), to });
  return {
    days: { firstDay: firstDay === undefined ? '-infinity' : isoDay(firstDay), lastDay: isoDay(lastDay) },
    deals,
  };
}

/**
 * The summary's two intervals: overdue is [from, min(now, until)), due today is [max(from, now), until); each
 * empty when its end is not after its start.
 */
export function dueIntervals(
  now: Date,
  from: Date | undefined,
  until: Date,
): { overdue: IntervalPlan; today: IntervalPlan } {
  const overdueEnd = until < now ? until : now;
  const todayStart = from && from > now ? from : now;
  return { overdue: planInterval(from, overdueEnd), today: planInterval(todayStart, until) };
}
