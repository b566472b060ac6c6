import { HttpStatus } from '@nestjs/common';

/** Every `error_code` the API can answer with. Adding one forces a status below (exhaustive switch). */
export enum ErrorCode {
  VALIDATION_ERROR = 'VALIDATION_ERROR',
  MALFORMED_JSON = 'MALFORMED_JSON',
  TENANT_ID_MISSING = 'TENANT_ID_MISSING',
  TENANT_ID_INVALID = 'TENANT_ID_INVALID',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  TENANT_ACCESS_DENIED = 'TENANT_ACCESS_DENIED',
  FORBIDDEN = 'FORBIDDEN',
  SIGNUP_DISABLED = 'SIGNUP_DISABLED',
  TOO_MANY_REQUESTS = 'TOO_MANY_REQUESTS',
  INVITATION_INVALID = 'INVITATION_INVALID',
  MEMBERSHIP_NOT_FOUND = 'MEMBERSHIP_NOT_FOUND',
  LAST_ADMIN = 'LAST_ADMIN',
  ALREADY_MEMBER = 'ALREADY_MEMBER',
  EMAIL_TAKEN = 'EMAIL_TAKEN',
  TENANT_ID_TAKEN = 'TENANT_ID_TAKEN',
  OPPORTUNITY_NOT_FOUND = 'OPPORTUNITY_NOT_FOUND',
  VERSION_CONFLICT = 'VERSION_CONFLICT',
  OPPORTUNITY_CLOSED = 'OPPORTUNITY_CLOSED',
  OPPORTUNITY_NOT_CLOSED = 'OPPORTUNITY_NOT_CLOSED',
  NOT_FOUND = 'NOT_FOUND',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  HEADERS_TOO_LARGE = 'HEADERS_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  BAD_REQUEST = 'BAD_REQUEST',
  IDEMPOTENCY_KEY_INVALID = 'IDEMPOTENCY_KEY_INVALID',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  IDEMPOTENCY_KEY_IN_PROGRESS = 'IDEMPOTENCY_KEY_IN_PROGRESS',
  DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE',
  SERVER_BUSY = 'SERVER_BUSY',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_ERROR = 'INTERNAL_ERROR',
}

export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.VALIDATION_ERROR:
    case ErrorCode.MALFORMED_JSON:
    case ErrorCode.TENANT_ID_MISSING:
    case ErrorCode.TENANT_ID_INVALID:
    case ErrorCode.BAD_REQUEST:
    case ErrorCode.INVITATION_INVALID:
    case ErrorCode.IDEMPOTENCY_KEY_INVALID:
      return HttpStatus.BAD_REQUEST;
    case ErrorCode.UNAUTHENTICATED:
    case ErrorCode.INVALID_CREDENTIALS:
      return HttpStatus.UNAUTHORIZED;
    case ErrorCode.TENANT_ACCESS_DENIED:
    case ErrorCode.FORBIDDEN:
    case ErrorCode.SIGNUP_DISABLED:
      return HttpStatus.FORBIDDEN;
    case ErrorCode.TOO_MANY_REQUESTS:
      return HttpStatus.TOO_MANY_REQUESTS;
    case ErrorCode.MEMBERSHIP_NOT_FOUND:
    case ErrorCode.OPPORTUNITY_NOT_FOUND:
    case ErrorCode.NOT_FOUND:
      return HttpStatus.NOT_FOUND;
    case ErrorCode.METHOD_NOT_ALLOWED:
      return HttpStatus.METHOD_NOT_ALLOWED;
    case ErrorCode.VERSION_CONFLICT:
    case ErrorCode.OPPORTUNITY_CLOSED:
    case ErrorCode.OPPORTUNITY_NOT_CLOSED:
    case ErrorCode.LAST_ADMIN:
    case ErrorCode.ALREADY_MEMBER:
    case ErrorCode.EMAIL_TAKEN:
    case ErrorCode.TENANT_ID_TAKEN:
    case ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS:
      return HttpStatus.CONFLICT;
    case ErrorCode.IDEMPOTENCY_KEY_REUSED:
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case ErrorCode.HEADERS_TOO_LARGE:
      return 431; // Request Header Fields Too Large (RFC 6585), which HttpStatus does not name
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return HttpStatus.UNSUPPORTED_MEDIA_TYPE;
    case ErrorCode.SERVICE_UNAVAILABLE:
    case ErrorCode.DATABASE_UNAVAILABLE:
    case ErrorCode.SERVER_BUSY:
      return HttpStatus.SERVICE_UNAVAILABLE;
    case ErrorCode.INTERNAL_ERROR:
      return HttpStatus.INTERNAL_SERVER_ERROR;
    default: {
      const unhandled: never = code;
      throw new Error(`No HTTP status for error code ${String(unhandled)}`);
    }
  }
}
