import type { HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { TenantStore } from './tenant.store';

/** Calls about the user rather than a team: the API ignores X-Tenant-ID there, so none is sent. */
const WITHOUT_TENANT = ['/api/v1/auth/', '/api/v1/signup'];

/** The one place that adds X-Tenant-ID: every API call is scoped to the tenant picked in the switcher. */
export const tenantInterceptor: HttpInterceptorFn = (request, next) => {
  const tenantId = inject(TenantStore).selectedId();
  if (
    !tenantId ||
    !request.url.startsWith('/api/') ||
    WITHOUT_TENANT.some((prefix) => request.url.startsWith(prefix)) ||
    request.headers.has('X-Tenant-ID')
  )
    return next(request);
  return next(request.clone({ setHeaders: { 'X-Tenant-ID': tenantId } }));
};
