const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

/**
 * Real zones spread around the globe, so that at any moment one of them is near noon. A tenant in that zone
 * has hours of "today" on both sides of now: "earlier today" and "later today" always exist, and the tests
 * never depend on when they run.
 */
const ZONES = [
  'Pacific/Pago_Pago',
  'Pacific/Honolulu',
  'America/Anchorage',
  'America/Los_Angeles',
  'America/Denver',
  'America/Chicago',
  'America/New_York',
  'America/Sao_Paulo',
  'Atlantic/Cape_Verde',
  'UTC',
  'Europe/Berlin',
  'Europe/Athens',
  'Asia/Dubai',
  'Asia/Karachi',
  'Asia/Dhaka',
  'Asia/Bangkok',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Brisbane',
  'Pacific/Noumea',
  'Pacific/Auckland',
];

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function wallClock(at: Date, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
  };
}

/** Minutes from `at` to the nearer of the two midnights around it, in `timeZone`. */
function minutesToMidnight(at: Date, timeZone: string): number {
  const { hour, minute } = wallClock(at, timeZone);
  const sinceMidnight = hour * 60 + minute;
  return Math.min(sinceMidnight, DAY_MINUTES - sinceMidnight);
}

/** The zone of ZONES whose local time is now farthest from midnight (within about 1.5 hours of noon). */
export function zoneNearNoon(now = new Date()): string {
  return ZONES.reduce((best, zone) =>
    minutesToMidnight(now, zone) > minutesToMidnight(now, best) ? zone : best,
  );
}

export function minutesFromNow(minutes: number): Date {
  return new Date(Date.now() + minutes * MINUTE);
}

export function daysFromNow(days: number): Date {
  return minutesFromNow(days * DAY_MINUTES);
}

const pad = (value: number) => String(value).padStart(2, '0');

/** What a user in `timeZone` types into the (en-US) date field for the day of `at`: "11/26/2026". */
export function dateField(at: Date, timeZone: string): string {
  const { year, month, day } = wallClock(at, timeZone);
  return `${pad(month)}/${pad(day)}/${year}`;
}

/** What a user in `timeZone` types into the time field for `at`: "14:05". */
export function timeField(at: Date, timeZone: string): string {
  const { hour, minute } = wallClock(at, timeZone);
  return `${pad(hour)}:${pad(minute)}`;
}

/** The local calendar day of `at` in `timeZone`, and its wall-clock time: "2026-11-26 09:00". */
export function localDateTime(at: Date, timeZone: string): string {
  const { year, month, day, hour, minute } = wallClock(at, timeZone);
  return `${year}-${pad(month)}-${pad(day)} ${pad(hour)}:${pad(minute)}`;
}

/** How the dashboard writes a moment in its snackbars (en-US): "Wed, Nov 26, 9:00 AM". */
export function shortDateTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(at);
}
