import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsISO8601, Length, Matches } from 'class-validator';

/** Full date and time with an explicit offset: `2026-11-05T14:00:00Z` or `…+01:00`, never a bare date. */
const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function IsIsoDateTime(): PropertyDecorator {
  return applyDecorators(
    Matches(DATE_TIME_WITH_OFFSET, {
      message: ({ property }) =>
        `${property} must be an ISO 8601 date-time with a time zone offset, e.g. 2026-11-05T14:00:00Z`,
    }),
    IsISO8601(
      { strict: true },
      { message: ({ property }) => `${property} is not a valid calendar date-time` },
    ),
  );
}

/** Trims surrounding whitespace before the length rule, so "   " counts as empty. */
export function TrimmedLength(min: number, max: number): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    Length(min, max, {
      message: ({ property }) => `${property} must be ${min} to ${max} characters long (after trimming)`,
    }),
  );
}
