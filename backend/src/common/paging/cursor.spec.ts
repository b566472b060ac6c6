import { ApiError } from '../errors/api-error';
import { ErrorCode } from '../errors/error-code';
import { dateValue, decodeCursor, encodeCursor, numberValue } from './cursor';

const id = '123e4567-e89b-12d3-a456-426614174000';
const encode = (value: unknown, ordering = 'due') =>
  Buffer.from(JSON.stringify({ o: ordering, v: value, id })).toString('base64url');

function expectInvalid(decode: () => unknown): void {
  try {
    decode();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe(ErrorCode.VALIDATION_ERROR);
    expect((error as ApiError).errors?.[0].field).toBe('cursor');
    return;
  }
  throw new Error('the cursor was accepted');
}

describe('keyset cursors', () => {
  it('round-trips a date, a number and the null of rows without a value', () => {
    for (const value of ['2026-11-25T10:00:00.123Z', 50000.5, null]) {
      expect(decodeCursor(encodeCursor('list:value', { value, id }), 'list:value')).toEqual({ value, id });
    }
    expect(dateValue(decodeCursor(encode('2026-11-25T10:00:00.123Z'), 'due'))).toEqual(
      new Date('2026-11-25T10:00:00.123Z'),
    );
  });

  it('is URL-safe', () => {
    expect(encodeCursor('due', { value: '2026-11-25T10:00:00.123Z', id })).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('belongs to one ordering: a cursor of another list or sort is refused', () => {
    expectInvalid(() => decodeCursor(encode(5, 'list:value'), 'list:-value'));
    expectInvalid(() => decodeCursor(encode('2026-11-25T10:00:00Z', 'due'), 'timeline'));
  });

  it.each([
    ['garbage', '%%%not-base64%%%'],
    ['base64 of text', Buffer.from('hello').toString('base64url')],
    ['a JSON array', Buffer.from('[1,2]').toString('base64url')],
    ['a bad id', Buffer.from(JSON.stringify({ o: 'due', v: 1, id: "1'; DROP" })).toString('base64url')],
    ['an object as value', encode({ a: 1 })],
    ['missing fields', Buffer.from('{}').toString('base64url')],
  ])('rejects %s as a validation error on the cursor field', (_label, cursor) => {
    expectInvalid(() => decodeCursor(cursor, 'due'));
  });

  it('checks the value has the type of the sort column', () => {
    expectInvalid(() => dateValue(decodeCursor(encode('yesterday'), 'due')));
    expectInvalid(() => dateValue(decodeCursor(encode(null), 'due')));
    expect(dateValue(decodeCursor(encode(null), 'due'), { nullable: true })).toBeNull();
    expectInvalid(() => numberValue(decodeCursor(encode('12'), 'due')));
    expect(numberValue(decodeCursor(encode(12.5), 'due'))).toBe(12.5);
  });
});
