import { ValidationFailed } from '../errors/api-error';
import { UUID_PATTERN } from '../validation/uuid';

/** A keyset position: the sort value of the last row of a page (a date as ISO text, a number, or null) and its id. */
export interface KeysetPosition {
  value: string | number | null;
  id: string;
}

/**
 * Opaque to clients: base64url of `{ o, v, id }`. `o` names the ordering the position belongs to, so a cursor
 * taken from one list or sort order is refused by another instead of silently skipping rows.
 */
export function encodeCursor(ordering: string, position: KeysetPosition): string {
  return Buffer.from(JSON.stringify({ o: ordering, v: position.value, id: position.id })).toString(
    'base64url',
  );
}

function invalidCursor(): ValidationFailed {
  return ValidationFailed.of('cursor', 'cursor is malformed: pass the value from a Link rel="next" header');
}

export function decodeCursor(cursor: string, ordering: string): KeysetPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalidCursor();
  const { o, v, id } = parsed as Record<string, unknown>;
  if (o !== ordering || typeof id !== 'string' || !UUID_PATTERN.test(id)) throw invalidCursor();
  if (v !== null && typeof v !== 'string' && (typeof v !== 'number' || !Number.isFinite(v)))
    throw invalidCursor();
  return { value: v, id };
}

/** The position's value as a date; `nullable` for orderings where rows without one come last. */
export function dateValue(position: KeysetPosition, { nullable = false } = {}): Date | null {
  if (position.value === null && nullable) return null;
  const date = typeof position.value === 'string' ? new Date(position.value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw invalidCursor();
  return date;
}

export function numberValue(position: KeysetPosition): number {
  if (typeof position.value !== 'number') throw invalidCursor();
  return position.value;
}

export function textValue(position: KeysetPosition): string {
  if (typeof position.value !== 'string') throw invalidCursor();
  return position.value;
}
