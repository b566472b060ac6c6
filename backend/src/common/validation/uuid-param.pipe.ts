import { Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { ValidationFailed } from '../errors/api-error';

/** A path id that is not a UUID is a client mistake (400), and never reaches the database. */
function uuidParam(name = 'id'): ParseUUIDPipe {
  return new ParseUUIDPipe({ exceptionFactory: () => ValidationFailed.of(name, `${name} must be a UUID`) });
}

/**
 * `@UuidParam('id') id: string`: the path parameter, refused with 400 unless it is a UUID, and declared in the spec
 * as `format: uuid` (which @Param alone leaves a bare string).
 */
export function UuidParam(name = 'id'): ParameterDecorator {
  return (target, method, index) => {
    Param(name, uuidParam(name))(target, method, index);
    const descriptor = method === undefined ? undefined : Object.getOwnPropertyDescriptor(target, method);
    if (method !== undefined && descriptor) {
      ApiParam({ name, type: String, format: 'uuid' })(target, method, descriptor);
    }
  };
}
