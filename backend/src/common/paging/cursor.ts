import { ValidationFailed } from '../errors/api-error';

/** A keyset position: the sort value and the id of the last row of a page. */
export interface KeysetPosition {
  at: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque to clients: base64url of `{ "at": iso, "id": uuid }`. */
export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify({ at: position.at.toISOString(), id: position.id })).toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string): KeysetPosition {
  const invalid = ValidationFailed.of(
    'cursor',
    'cursor is malformed: pass the value from a Link rel="next" header',
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid;
  const { at, id } = parsed as Record<string, unknown>;
  if (typeof at !== 'string' || typeof id !== 'string' || !UUID.test(id)) throw invalid;
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) throw invalid;
  return { at: date, id };
}
