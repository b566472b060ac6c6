import { HttpErrorResponse } from '@angular/common/http';
import { describeApiError, errorCodeOf } from '../core/api-error';

/** Whole minutes until a rate limit lifts, from the Retry-After header (seconds, or an HTTP date). */
export function minutesToWait(error: HttpErrorResponse, now = Date.now()): number {
  const header = error.headers?.get('Retry-After')?.trim() ?? '';
  const seconds = /^\d+$/.test(header) ? Number(header) : (Date.parse(header) - now) / 1000;
  return Number.isFinite(seconds) && seconds > 0 ? Math.max(1, Math.ceil(seconds / 60)) : 1;
}

/** "Too many attempts. Try again in 3 minutes." */
export function tooManyAttempts(error: HttpErrorResponse): string {
  const minutes = minutesToWait(error);
  return `Too many attempts. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
}

/** What the sign-in page says when signing in failed. */
export function describeSignInError(error: unknown): string {
  if (error instanceof HttpErrorResponse && error.status === 429) return tooManyAttempts(error);
  if (errorCodeOf(error) === 'INVALID_CREDENTIALS') return 'Email or password is incorrect.';
  return describeApiError(error);
}
