import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import { AuthStore, safeReturnUrl } from './auth.store';
import { TenantStore } from './tenant.store';

// Every inject() comes before the first await: after it, the guard is no longer in an injection context.

/** Pages of the dashboard: signed-in users only; anyone else signs in first and comes back here. */
export const signedInGuard: CanActivateFn = async (_route, state) => {
  const auth = inject(AuthStore);
  const router = inject(Router);
  await auth.whenRestored();
  if (auth.signedIn()) return true;
  const returnUrl = safeReturnUrl(state.url);
  return router.createUrlTree(['/sign-in'], { queryParams: returnUrl === '/' ? {} : { returnUrl } });
};

/** The sign-in page: a signed-in user goes straight to where they were going. */
export const signedOutGuard: CanActivateFn = async (route) => {
  const auth = inject(AuthStore);
  const router = inject(Router);
  await auth.whenRestored();
  if (!auth.signedIn()) return true;
  return router.parseUrl(safeReturnUrl(route.queryParamMap.get('returnUrl')));
};

/** Pages for the admins of the selected team (members, audit log); others land on the due list. */
export const adminGuard: CanActivateFn = async () => {
  const tenants = inject(TenantStore);
  const router = inject(Router);
  await tenants.ensureLoaded();
  return tenants.isAdmin() || router.createUrlTree(['/']);
};
