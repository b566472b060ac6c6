import { ApiError } from '../errors/api-error';
import { ErrorCode } from '../errors/error-code';
import { decodeCursor, encodeCursor } from './cursor';

const position = { at: new Date('2026-11-25T10:00:00.123Z'), id: '123e4567-e89b-12d3-a456-426614174000' };

function expectInvalid(cursor: string): void {
  try {
    decodeCursor(cursor);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe(ErrorCode.VALIDATION_ERROR);
    expect((error as ApiError).errors?.[0].field).toBe('cursor');
    return;
  }
  throw new Error(`cursor ${cursor} was accepted`);
}

describe('keyset cursors', () => {
  it('round-trips a position with millisecond precision', () => {
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('is URL-safe', () => {
    expect(encodeCursor(position)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['garbage', '%%%not-base64%%%'],
    ['base64 of text', Buffer.from('hello').toString('base64url')],
    ['a JSON array', Buffer.from('[1,2]').toString('base64url')],
    [
      'a bad id',
      Buffer.from(JSON.stringify({ at: '2026-11-25T10:00:00Z', id: "1'; DROP" })).toString('base64url'),
    ],
    ['a bad date', Buffer.from(JSON.stringify({ at: 'yesterday', id: position.id })).toString('base64url')],
    ['missing fields', Buffer.from('{}').toString('base64url')],
  ])('rejects %s as a validation error on the cursor field', (_label, cursor) => {
    expectInvalid(cursor);
  });
});
