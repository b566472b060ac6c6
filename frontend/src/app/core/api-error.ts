import { HttpErrorResponse } from '@angular/common/http';
import type { ErrorCode, ErrorDto, FieldErrorDto } from '../api/models';

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  OPPORTUNITY_NOT_FOUND: 'This opportunity no longer exists, or belongs to another team.',
  VERSION_CONFLICT: 'This deal was changed elsewhere in the meantime.',
  OPPORTUNITY_CLOSED: 'This deal is closed. Reopen it with a new next action first.',
  OPPORTUNITY_NOT_CLOSED: 'This deal is already open.',
  TENANT_ACCESS_DENIED: 'You are not a member of the selected team (any more). Pick another one, or reload.',
  FORBIDDEN: 'Your role in this team does not allow this. Ask an admin of the team.',
  UNAUTHENTICATED: 'Your session has ended. Sign in again.',
  INVALID_CREDENTIALS: 'Email or password is incorrect.',
  TOO_MANY_REQUESTS: 'Too many attempts. Wait a few minutes, then try again.',
  LAST_ADMIN: 'A team needs at least one admin. Make another member admin first.',
  ALREADY_MEMBER: 'This person is already a member of the team.',
  INVITATION_INVALID: 'This invitation link is no longer valid. Ask an admin for a new one.',
  MEMBERSHIP_NOT_FOUND: 'This person is no longer a member of the team.',
  TENANT_ID_MISSING: 'Pick a team first.',
  TENANT_ID_INVALID: 'The selected team id is not valid. Pick another one.',
  INTERNAL_ERROR: 'Something went wrong on our side. Try again in a moment.',
  SERVICE_UNAVAILABLE: 'NAT is starting or its database is unavailable. Try again in a moment.',
};

export function isErrorBody(body: unknown): body is ErrorDto {
  return typeof body === 'object' && body !== null && 'error_code' in body && 'detail' in body;
}

/**
 * The error envelope of a failed call, if it came with one. Calls that answer nothing on success (204) are read as
 * text, so their error body arrives as a JSON string.
 */
export function errorBodyOf(error: unknown): ErrorDto | null {
  if (!(error instanceof HttpErrorResponse)) return null;
  let body: unknown = error.error;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return null;
    }
  }
  return isErrorBody(body) ? body : null;
}

/** The API's error code, when the failure came with the error envelope. */
export function errorCodeOf(error: unknown): ErrorCode | null {
  return errorBodyOf(error)?.error_code ?? null;
}

export function fieldErrorsOf(error: unknown): FieldErrorDto[] {
  return errorBodyOf(error)?.errors ?? [];
}

/** One sentence a rep can act on, for any failure of an API call. */
export function describeApiError(error: unknown): string {
  if (!(error instanceof HttpErrorResponse)) return 'Something went wrong. Try again.';
  if (error.status === 0) return 'Cannot reach NAT. Check your connection and try again.';
  const body = errorBodyOf(error);
  if (!body) return `The server answered ${error.status}. Try again.`;
  if (body.error_code === 'VALIDATION_ERROR' && body.errors?.length) {
    return body.errors.map((fieldError) => fieldError.message).join('; ');
  }
  return MESSAGES[body.error_code] ?? body.detail;
}
