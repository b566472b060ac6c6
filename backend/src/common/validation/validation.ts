import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ValidationFailed, type FieldError } from '../errors/api-error';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      message: constraint === 'whitelistValidation' ? `${field} is not an accepted field` : message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Keys class-transformer drops before the whitelist can refuse them: names every object inherits (`__proto__`,
 * `constructor`, `valueOf`…) and `prototype`.
 */
const DROPPED_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);
/** A UTF-16 surrogate without its pair: not Unicode text, so nothing PostgreSQL or an encoder can take. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * What class-validator cannot see in a body or query: dropped keys, and strings with lone surrogates (JSON can
 * escape them, but they are no text: they would be stored as U+FFFD, or make a validator throw).
 */
function unseenProblems(value: unknown, field: string): FieldError[] {
  if (typeof value === 'string') {
    return LONE_SURROGATE.test(value)
      ? [{ field, message: `${field} must be valid Unicode text (it has an unpaired surrogate)` }]
      : [];
  }
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = field ? `${field}.${key}` : key;
    if (DROPPED_KEYS.has(key)) return [{ field: path, message: `${path} is not an accepted field` }];
    return unseenProblems(child, path);
  });
}

/** `value` without what unseenProblems() reports, for class-validator to report everything else. */
function withoutUnseen(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(new RegExp(LONE_SURROGATE, 'gu'), '\uFFFD');
  if (Array.isArray(value)) return value.map(withoutUnseen);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !DROPPED_KEYS.has(key))
      .map(([key, child]) => [key, withoutUnseen(child)]),
  );
}

class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const unseen = metadata.type === 'body' || metadata.type === 'query' ? unseenProblems(value, '') : [];
    if (unseen.length === 0) return (await super.transform(value, metadata)) as unknown;
    try {
      await super.transform(withoutUnseen(value), metadata);
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      throw new ValidationFailed([...(error.errors ?? []), ...unseen]);
    }
    throw new ValidationFailed(unseen);
  }
}

/**
 * Unknown fields are rejected, not silently dropped, and every failure is reported per field in the
 * error envelope (400 VALIDATION_ERROR).
 */
export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailed(flatten(errors)),
  });
}
