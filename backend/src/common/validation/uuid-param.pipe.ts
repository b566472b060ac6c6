import { ParseUUIDPipe } from '@nestjs/common';
import { ValidationFailed } from '../errors/api-error';

/** A path id that is not a UUID is a client mistake (400), and never reaches the database. */
export function uuidParam(name = 'id'): ParseUUIDPipe {
  return new ParseUUIDPipe({ exceptionFactory: () => ValidationFailed.of(name, `${name} must be a UUID`) });
}
