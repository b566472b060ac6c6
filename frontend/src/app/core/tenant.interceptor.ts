import type { HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { TenantStore } from './tenant.store';

/** The one place that adds X-Tenant-ID: every API call is scoped to the tenant picked in the switcher. */
export const tenantInterceptor: HttpInterceptorFn = (request, next) => {
  const tenantId = inject(TenantStore).selectedId();
  if (!tenantId || !request.url.startsWith('/api/') || request.headers.has('X-Tenant-ID'))
    return next(request);
  return next(request.clone({ setHeaders: { 'X-Tenant-ID': tenantId } }));
};
