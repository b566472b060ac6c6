import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { TeamScope } from '../team/team-scope';
import { BlankPage } from '../testing/blank-page';
import { aSession, aTenant, aUser } from '../testing/fixtures';
import { authInterceptor } from './auth.interceptor';
import { AuthStore, RENEW_BEFORE_EXPIRY_MS, safeReturnUrl } from './auth.store';
import { TenantStore } from './tenant.store';

const LOGIN = '/api/v1/auth/login';
const REFRESH = '/api/v1/auth/refresh';
const LOGOUT = '/api/v1/auth/logout';

describe('AuthStore', () => {
  let backend: HttpTestingController;
  let auth: AuthStore;
  let router: Router;

  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([{ path: '**', component: BlankPage }]),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    auth = TestBed.inject(AuthStore);
    router = TestBed.inject(Router);
  });

  afterEach(() => {
    backend.verify();
    vi.useRealTimers();
  });

  async function signIn(token = 'token-1', expiresIn = 900): Promise<void> {
    const signingIn = auth.signIn('dana@example.com', 'secret-password');
    backend.expectOne(LOGIN).flush(aSession({ access_token: token, expires_in: expiresIn }));
    await signingIn;
  }

  it('restores the session of the refresh cookie at start', async () => {
    expect(auth.status()).toBe('restoring');
    const restoring = auth.restore();
    backend.expectOne(REFRESH).flush(aSession({ access_token: 'from-cookie' }));
    await restoring;
    expect(auth.status()).toBe('signed-in');
    expect(auth.user()?.name).toBe('Dana Rep');
    expect(auth.accessToken()).toBe('from-cookie');
  });

  it('is signed out at start when there is no session, without going anywhere', async () => {
    const restoring = auth.restore();
    backend
      .expectOne(REFRESH)
      .flush(
        { detail: 'No refresh token', error_code: 'UNAUTHENTICATED' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await restoring;
    expect(auth.status()).toBe('signed-out');
    expect(router.url).toBe('/');
  });

  it('keeps the access token in memory only', async () => {
    await signIn('secret-token');
    const stored = JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage });
    expect(stored).not.toContain('secret-token');
  });

  it('renews the token a minute before it runs out', async () => {
    vi.useFakeTimers();
    await signIn('token-1', 900);
    vi.advanceTimersByTime(900_000 - RENEW_BEFORE_EXPIRY_MS - 1_000);
    backend.expectNone(REFRESH);
    vi.advanceTimersByTime(1_000);
    backend.expectOne(REFRESH).flush(aSession({ access_token: 'token-2' }));
    await vi.waitFor(() => expect(auth.accessToken()).toBe('token-2'));
  });

  it('keeps the session when the refresh cannot reach the server', async () => {
    vi.useFakeTimers();
    await signIn('token-1', 900);
    vi.advanceTimersByTime(900_000 - RENEW_BEFORE_EXPIRY_MS);
    backend.expectOne(REFRESH).error(new ProgressEvent('error'), { status: 0 });
    await vi.waitFor(() => expect(auth.signedIn()).toBe(true));
    expect(auth.accessToken()).toBe('token-1');
  });

  it('signs out: revokes the refresh token, forgets the teams and the scope, and shows the sign-in page', async () => {
    await signIn('token-1');
    const tenants = TestBed.inject(TenantStore);
    tenants.tenants.set([aTenant({ role: 'manager' })]);
    tenants.selectedId.set('demo');
    tenants.loaded.set(true);
    TestBed.inject(TeamScope).select('team');

    const signingOut = auth.signOut();
    const logout = backend.expectOne(LOGOUT);
    expect(logout.request.headers.get('Authorization')).toBe('Bearer token-1');
    logout.flush(null, { status: 204, statusText: 'No Content' });
    await signingOut;

    expect(auth.signedIn()).toBe(false);
    expect(auth.user()).toBeNull();
    expect(tenants.tenants()).toEqual([]);
    expect(tenants.loaded()).toBe(false);
    expect(TestBed.inject(TeamScope).scope()).toBe('mine');
    expect(router.url).toBe('/sign-in');
  });

  it('forgets what was loaded for the last user when someone else signs in here', async () => {
    await signIn('token-1');
    const tenants = TestBed.inject(TenantStore);
    tenants.tenants.set([aTenant({ role: 'admin' })]);
    tenants.loaded.set(true);

    const accepting = auth.acceptInvitation('one-time', 'new-password-1');
    const accept = backend.expectOne('/api/v1/auth/invitation');
    expect(accept.request.body).toEqual({ token: 'one-time', password: 'new-password-1', cookie: true });
    accept.flush(aSession({ access_token: 'token-2', user: aUser({ id: 'someone-else', name: 'Lee' }) }));
    await accepting;

    expect(auth.user()?.name).toBe('Lee');
    expect(tenants.tenants()).toEqual([]);
    expect(tenants.loaded()).toBe(false);
  });

  it('signs out locally even when the server cannot be reached', async () => {
    await signIn('token-1');
    const signingOut = auth.signOut();
    backend.expectOne(LOGOUT).error(new ProgressEvent('error'), { status: 0 });
    await signingOut;
    expect(auth.signedIn()).toBe(false);
    expect(router.url).toBe('/sign-in');
  });
});

describe('safeReturnUrl', () => {
  it('keeps paths of this app and refuses anything else', () => {
    expect(safeReturnUrl('/opportunities?status=won')).toBe('/opportunities?status=won');
    expect(safeReturnUrl('https://evil.example/')).toBe('/');
    expect(safeReturnUrl('//evil.example/')).toBe('/');
    expect(safeReturnUrl('/sign-in?returnUrl=/x')).toBe('/');
    expect(safeReturnUrl(null)).toBe('/');
  });
});
