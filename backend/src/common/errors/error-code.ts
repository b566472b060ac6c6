import { HttpStatus } from '@nestjs/common';

/** Every `error_code` the API can answer with. Adding one forces a status below (exhaustive switch). */
export enum ErrorCode {
  VALIDATION_ERROR = 'VALIDATION_ERROR',
  MALFORMED_JSON = 'MALFORMED_JSON',
  TENANT_ID_MISSING = 'TENANT_ID_MISSING',
  TENANT_ID_INVALID = 'TENANT_ID_INVALID',
  TENANT_NOT_FOUND = 'TENANT_NOT_FOUND',
  OPPORTUNITY_NOT_FOUND = 'OPPORTUNITY_NOT_FOUND',
  VERSION_CONFLICT = 'VERSION_CONFLICT',
  OPPORTUNITY_CLOSED = 'OPPORTUNITY_CLOSED',
  OPPORTUNITY_NOT_CLOSED = 'OPPORTUNITY_NOT_CLOSED',
  NOT_FOUND = 'NOT_FOUND',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  BAD_REQUEST = 'BAD_REQUEST',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_ERROR = 'INTERNAL_ERROR',
}

export function httpStatusOf(code: ErrorCode): HttpStatus {
  switch (code) {
    case ErrorCode.VALIDATION_ERROR:
    case ErrorCode.MALFORMED_JSON:
    case ErrorCode.TENANT_ID_MISSING:
    case ErrorCode.TENANT_ID_INVALID:
    case ErrorCode.BAD_REQUEST:
      return HttpStatus.BAD_REQUEST;
    case ErrorCode.TENANT_NOT_FOUND:
    case ErrorCode.OPPORTUNITY_NOT_FOUND:
    case ErrorCode.NOT_FOUND:
      return HttpStatus.NOT_FOUND;
    case ErrorCode.METHOD_NOT_ALLOWED:
      return HttpStatus.METHOD_NOT_ALLOWED;
    case ErrorCode.VERSION_CONFLICT:
    case ErrorCode.OPPORTUNITY_CLOSED:
    case ErrorCode.OPPORTUNITY_NOT_CLOSED:
      return HttpStatus.CONFLICT;
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return HttpStatus.UNSUPPORTED_MEDIA_TYPE;
    case ErrorCode.SERVICE_UNAVAILABLE:
      return HttpStatus.SERVICE_UNAVAILABLE;
    case ErrorCode.INTERNAL_ERROR:
      return HttpStatus.INTERNAL_SERVER_ERROR;
    default: {
      const unhandled: never = code;
      throw new Error(`No HTTP status for error code ${String(unhandled)}`);
    }
  }
}
