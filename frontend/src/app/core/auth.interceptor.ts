import { HttpErrorResponse, type HttpInterceptorFn, type HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, from, of, switchMap, throwError } from 'rxjs';
import { errorCodeOf } from './api-error';
import { AuthStore } from './auth.store';

/** Calls that work without an access token: sending one (maybe expired) would only confuse them. */
const WITHOUT_TOKEN = [
  '/api/v1/auth/login',
  '/api/v1/auth/refresh',
  '/api/v1/auth/invitation',
  '/api/v1/signup',
];

function pathOf(url: string): string {
  return url.split(/[?#]/, 1)[0];
}

function withToken<T>(request: HttpRequest<T>, token: string | null): HttpRequest<T> {
  return token ? request.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : request;
}

function isUnauthenticated(error: unknown): boolean {
  return (
    error instanceof HttpErrorResponse && error.status === 401 && errorCodeOf(error) === 'UNAUTHENTICATED'
  );
}

/**
 * The one place that signs API calls: `Authorization: Bearer <access token>` on every /api/ request but the
 * sign-in ones. A token that ran out is renewed before sending; a call refused with 401 UNAUTHENTICATED is
 * retried once with a renewed token. Concurrent failures share one refresh (AuthStore.renewAfter); when the
 * refresh is refused too, the call fails and AuthStore sends the user to sign in.
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  if (!request.url.startsWith('/api/') || WITHOUT_TOKEN.includes(pathOf(request.url))) return next(request);
  const auth = inject(AuthStore);
  const current = auth.accessToken();
  const token$ = current && auth.needsRenewal() ? from(auth.renewAfter(current)) : of(current);
  return token$.pipe(
    switchMap((token) =>
      next(withToken(request, token)).pipe(
        catchError((error: unknown) => {
          if (!token || !isUnauthenticated(error)) return throwError(() => error);
          return from(auth.renewAfter(token)).pipe(
            switchMap((fresh) => (fresh ? next(withToken(request, fresh)) : throwError(() => error))),
          );
        }),
      ),
    ),
  );
};
