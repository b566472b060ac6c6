import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { BlankPage } from '../testing/blank-page';
import { aSession, aTenant } from '../testing/fixtures';
import { adminGuard, signedInGuard, signedOutGuard } from './auth.guards';
import { authInterceptor } from './auth.interceptor';
import { AuthStore } from './auth.store';

describe('route guards', () => {
  let backend: HttpTestingController;
  let router: Router;
  let harness: RouterTestingHarness;

  beforeEach(async () => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([
          { path: 'sign-in', canActivate: [signedOutGuard], component: BlankPage },
          { path: 'invitation', component: BlankPage },
          {
            path: '',
            canActivateChild: [signedInGuard],
            children: [
              { path: 'members', canActivate: [adminGuard], component: BlankPage },
              { path: '**', component: BlankPage },
            ],
          },
        ]),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    harness = await RouterTestingHarness.create();
  });

  afterEach(() => backend.verify());

  async function restore(signedIn: boolean): Promise<void> {
    const restoring = TestBed.inject(AuthStore).restore();
    const refresh = backend.expectOne('/api/v1/auth/refresh');
    if (signedIn) refresh.flush(aSession());
    else refresh.flush({ detail: 'none', error_code: 'UNAUTHENTICATED' }, { status: 401, statusText: 'No' });
    await restoring;
  }

  it('sends a signed-out visitor to sign in, remembering the page they asked for', async () => {
    await restore(false);
    await harness.navigateByUrl('/upcoming?x=1');
    expect(router.url).toBe('/sign-in?returnUrl=%2Fupcoming%3Fx%3D1');
    await harness.navigateByUrl('/');
    expect(router.url).toBe('/sign-in');
  });

  it('lets anyone open an invitation link', async () => {
    await restore(false);
    await harness.navigateByUrl('/invitation?token=abc');
    expect(router.url).toBe('/invitation?token=abc');
  });

  it('lets a signed-in user in, and skips the sign-in page for them', async () => {
    await restore(true);
    await harness.navigateByUrl('/opportunities');
    expect(router.url).toBe('/opportunities');
    await harness.navigateByUrl('/sign-in?returnUrl=%2Fupcoming');
    expect(router.url).toBe('/upcoming');
  });

  it('lets only admins of the selected team open the members page', async () => {
    await restore(true);
    localStorage.setItem('nat.tenant', 'demo');
    const asRep = harness.navigateByUrl('/members');
    await vi.waitFor(() => backend.expectOne('/api/v1/tenants').flush([aTenant({ role: 'rep' })]));
    await asRep;
    expect(router.url).toBe('/');
  });

  it('opens the members page for an admin', async () => {
    await restore(true);
    const asAdmin = harness.navigateByUrl('/members');
    await vi.waitFor(() => backend.expectOne('/api/v1/tenants').flush([aTenant({ role: 'admin' })]));
    await asAdmin;
    expect(router.url).toBe('/members');
  });
});
