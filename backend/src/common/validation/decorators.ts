import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsISO8601, Matches, ValidateBy, ValidateIf, type ValidationArguments } from 'class-validator';

/** Full date and time with an explicit offset: `2026-11-05T14:00:00Z` or `…+01:00`, never a bare date. */
const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** Plain decimal notation. Number() also reads `0x10`, `0b1`, blanks and padded digits: no numbers in a query. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** A letter, digit, punctuation mark or symbol: what a reader can see (not only spaces or zero-width marks). */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

/**
 * The field may be left out, but null is not leaving it out: unlike @IsOptional(), null is validated (and refused)
 * like any other value, instead of reaching a service that would store it or read it as a string.
 */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}

/**
 * A number in the query string, written in decimal; anything else becomes NaN for the number rules to refuse.
 * `blankAsMissing`: `min_value=` (an empty form field) counts as left out.
 */
export function QueryNumber({ blankAsMissing = false } = {}): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    if (blankAsMissing && value === '') return undefined;
    return DECIMAL.test(value) ? Number(value) : Number.NaN;
  });
}

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

/** Characters as PostgreSQL's length() counts them: code points, not UTF-16 units or grapheme clusters. */
function codePoints(value: string): number {
  return Array.from(value).length;
}

interface TextRules {
  min: number;
  max: number;
  /** An empty string after trimming becomes `undefined` (for optional free text such as notes). */
  blankAsMissing?: boolean;
}

/**
 * Text the database will store as is: trimmed, without NUL characters (PostgreSQL text cannot hold them), and
 * between `min` and `max` characters counted as the database's CHECK constraints count them.
 */
export function IsText({ min, max, blankAsMissing = false }: TextRules): PropertyDecorator {
  const property = ({ property }: ValidationArguments) => property;
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => {
      if (typeof value !== 'string') return value;
      const trimmed = value.trim();
      return blankAsMissing && trimmed === '' ? undefined : trimmed;
    }),
    ValidateBy({
      name: 'noNulCharacter',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && !value.includes('\u0000'),
        defaultMessage: (args) => `${property(args!)} must not contain NUL characters`,
      },
    }),
    ValidateBy({
      name: 'textLength',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && codePoints(value) >= min && codePoints(value) <= max,
        defaultMessage: (args) =>
          `${property(args!)} must be ${min} to ${max} characters long (after trimming)`,
      },
    }),
    ...(min > 0
      ? [
          ValidateBy({
            name: 'visibleText',
            validator: {
              validate: (value: unknown) => typeof value === 'string' && VISIBLE.test(value),
              defaultMessage: (args) => `${property(args!)} must contain a visible character`,
            },
          }),
        ]
      : []),
  );
}

/** A finite number with at most two decimals (cents), however it is written (`0.1`, `1e-7`, `12.50`). */
export function IsMoneyAmount(): PropertyDecorator {
  return ValidateBy({
    name: 'isMoneyAmount',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'number' && Number.isFinite(value) && Math.round(value * 100) / 100 === value,
      defaultMessage: (args) => `${args!.property} must be a number with at most two decimals`,
    },
  });
}
