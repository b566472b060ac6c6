const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The browser's IANA zone: dates are shown and entered here. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** Whole local calendar days from `from` to `to` (negative when `to` is earlier). */
function calendarDays(from: Date, to: Date): number {
  const midnight = (date: Date) => Date.UTC(date.getFullYear(), date.getMonth(), date.getDate());
  return Math.round((midnight(to) - midnight(from)) / DAY);
}

/**
 * "2 days overdue", "due in 3 hours", "due tomorrow". Within a day it counts minutes or hours; beyond, calendar
 * days in the browser's zone, so an action tomorrow afternoon is "due tomorrow", never "due in 2 days".
 */
export function relativeDue(at: Date, now: Date): string {
  const diff = at.getTime() - now.getTime();
  const ms = Math.abs(diff);
  if (ms < DAY) {
    const span =
      ms < HOUR
        ? plural(Math.max(1, Math.round(ms / MINUTE)), 'minute')
        : plural(Math.round(ms / HOUR), 'hour');
    return diff < 0 ? `${span} overdue` : `due in ${span}`;
  }
  const days = Math.abs(calendarDays(now, at));
  if (diff < 0) return `${plural(days, 'day')} overdue`;
  return days === 1 ? 'due tomorrow' : `due in ${plural(days, 'day')}`;
}

/** The exact local date and time, with the zone named: "Thursday, November 26, 2026 at 9:00 AM CET". */
export function formatLocalDateTime(at: Date): string {
  return (
    new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' }).format(at) +
    ` ${zoneLabel(at)}`
  );
}

export function formatShortDateTime(at: Date): string {
  return new Intl.DateTimeFormat(undefined, {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(at);
}

function zoneLabel(at: Date): string {
  const part = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? browserTimeZone();
}

export function formatMoney(value: number, currency: string | undefined): string {
  if (!currency) return new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(value);
  return new Intl.NumberFormat(undefined, {
    style: 'currency',
    currency,
    maximumFractionDigits: Number.isInteger(value) ? 0 : 2,
  }).format(value);
}

/** Wall-clock parts of `at` in `timeZone`. */
function partsIn(
  at: Date,
  timeZone: string,
): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((part) => part.type === type)?.value ?? 0);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** The instant of the next midnight in `timeZone` after `now`: the end of that zone's "today". */
export function endOfTodayIn(timeZone: string, now: Date): Date {
  const today = partsIn(now, timeZone);
  const midnightAsUtc = Date.UTC(today.year, today.month - 1, today.day + 1);
  // Correct the UTC guess by the zone's offset at that moment; twice, in case the offset changes overnight (DST).
  let guess = midnightAsUtc;
  for (let i = 0; i < 2; i++) {
    const seen = partsIn(new Date(guess), timeZone);
    const seenAsUtc = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute, seen.second);
    guess += midnightAsUtc - seenAsUtc;
  }
  return new Date(guess);
}

export function addDays(date: Date, days: number): Date {
  const result = new Date(date);
  result.setDate(result.getDate() + days);
  return result;
}

/** `date`'s local calendar day at `hours:minutes` local time. */
export function atLocalTime(date: Date, hours: number, minutes = 0): Date {
  const result = new Date(date);
  result.setHours(hours, minutes, 0, 0);
  return result;
}

/** "09:30" for an <input type="time">. */
export function toTimeInput(date: Date): string {
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** A local date from a date picker and an "HH:mm" time input. */
export function combineLocal(date: Date, time: string): Date | null {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match) return null;
  return atLocalTime(date, Number(match[1]), Number(match[2]));
}

export interface QuickPick {
  label: string;
  at: Date;
}

/** The planning shortcuts of the dialogs: Tomorrow 9:00, In 3 days (9:00), Next Monday 9:00. */
export function quickPicks(now: Date): QuickPick[] {
  const daysToMonday = (8 - now.getDay()) % 7 || 7;
  return [
    { label: 'Tomorrow 9:00', at: atLocalTime(addDays(now, 1), 9) },
    { label: 'In 3 days', at: atLocalTime(addDays(now, 3), 9) },
    { label: 'Next Monday 9:00', at: atLocalTime(addDays(now, daysToMonday), 9) },
  ];
}

/** "Today", "Tomorrow" or "Friday, November 27", for the local calendar day of `at`. */
export function dayLabel(at: Date, now: Date): string {
  const dayOf = (date: Date) => atLocalTime(date, 0).getTime();
  if (dayOf(at) === dayOf(now)) return 'Today';
  if (dayOf(at) === dayOf(addDays(now, 1))) return 'Tomorrow';
  return new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' }).format(at);
}

export function localDayKey(at: Date): string {
  return `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`;
}
