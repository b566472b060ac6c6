import { HttpClient, HttpErrorResponse, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { BlankPage } from '../testing/blank-page';
import { aSession } from '../testing/fixtures';
import { authInterceptor } from './auth.interceptor';
import { AuthStore } from './auth.store';
import { tenantInterceptor } from './tenant.interceptor';

const LOGIN = '/api/v1/auth/login';
const REFRESH = '/api/v1/auth/refresh';
const DUE = '/api/v1/opportunities/due';
const UNAUTHENTICATED = { detail: 'Access token expired', error_code: 'UNAUTHENTICATED' };

describe('authInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let auth: AuthStore;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor, tenantInterceptor])),
        provideHttpClientTesting(),
        provideRouter([{ path: '**', component: BlankPage }]),
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    auth = TestBed.inject(AuthStore);
  });

  afterEach(() => backend.verify());

  async function signIn(token = 'token-1'): Promise<void> {
    const signingIn = auth.signIn('dana@example.com', 'secret-password');
    backend.expectOne(LOGIN).flush(aSession({ access_token: token }));
    await signingIn;
  }

  function get(url = DUE): Promise<unknown> {
    return firstValueFrom(http.get(url));
  }

  function refuse(url: string): void {
    backend.expectOne(url).flush(UNAUTHENTICATED, { status: 401, statusText: 'Unauthorized' });
  }

  /** Lets the promise chain of a renewal reach its next request. */
  function settle(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve));
  }

  it('signs API calls with the access token, but not the sign-in ones nor other hosts', async () => {
    const signingIn = auth.signIn('dana@example.com', 'secret-password');
    const login = backend.expectOne(LOGIN);
    expect(login.request.headers.has('Authorization')).toBe(false);
    expect(login.request.body).toEqual({
      email: 'dana@example.com',
      password: 'secret-password',
      cookie: true,
    });
    login.flush(aSession({ access_token: 'token-1' }));
    await signingIn;

    void get();
    expect(backend.expectOne(DUE).request.headers.get('Authorization')).toBe('Bearer token-1');
    void get('https://example.com/x').catch(() => undefined);
    expect(backend.expectOne('https://example.com/x').request.headers.has('Authorization')).toBe(false);
  });

  it('renews the token once on a 401 and sends the call again with the new one', async () => {
    await signIn('token-1');
    const answer = get();
    refuse(DUE);
    await settle();
    const refresh = backend.expectOne(REFRESH);
    expect(refresh.request.headers.has('Authorization')).toBe(false);
    expect(refresh.request.body).toEqual({});
    refresh.flush(aSession({ access_token: 'token-2' }));
    await settle();
    const retry = backend.expectOne(DUE);
    expect(retry.request.headers.get('Authorization')).toBe('Bearer token-2');
    retry.flush(['done']);
    expect(await answer).toEqual(['done']);
    expect(auth.accessToken()).toBe('token-2');
  });

  it('shares one refresh between calls refused at the same time', async () => {
    await signIn('token-1');
    const first = get('/api/v1/opportunities/due');
    const second = get('/api/v1/opportunities/due/summary');
    refuse('/api/v1/opportunities/due');
    refuse('/api/v1/opportunities/due/summary');
    await settle();
    backend.expectOne(REFRESH).flush(aSession({ access_token: 'token-2' }));
    await settle();
    const retries = backend.match((request) => request.headers.get('Authorization') === 'Bearer token-2');
    expect(retries.map((request) => request.request.url).sort()).toEqual([
      '/api/v1/opportunities/due',
      '/api/v1/opportunities/due/summary',
    ]);
    retries.forEach((request) => request.flush([]));
    await Promise.all([first, second]);
  });

  it('retries only once: a second 401 reaches the caller', async () => {
    await signIn('token-1');
    const answer = get().catch((error: unknown) => error);
    refuse(DUE);
    await settle();
    backend.expectOne(REFRESH).flush(aSession({ access_token: 'token-2' }));
    await settle();
    refuse(DUE);
    const error = await answer;
    expect(error).toBeInstanceOf(HttpErrorResponse);
    expect((error as HttpErrorResponse).status).toBe(401);
    backend.expectNone(REFRESH);
  });

  it('ends the session and asks to sign in again, back to the same page, when the refresh is refused', async () => {
    await signIn('token-1');
    await TestBed.inject(Router).navigateByUrl('/opportunities?status=won');
    const answer = get().catch((error: unknown) => error);
    refuse(DUE);
    await settle();
    refuse(REFRESH);
    const error = await answer;
    expect((error as HttpErrorResponse).status).toBe(401);
    expect(auth.signedIn()).toBe(false);
    expect(auth.accessToken()).toBeNull();
    await vi.waitFor(() =>
      expect(TestBed.inject(Router).url).toBe('/sign-in?returnUrl=%2Fopportunities%3Fstatus%3Dwon'),
    );
  });

  it('passes other failures through without renewing', async () => {
    await signIn('token-1');
    const answer = get().catch((error: unknown) => error);
    backend
      .expectOne(DUE)
      .flush({ detail: 'Managers only', error_code: 'FORBIDDEN' }, { status: 403, statusText: 'Forbidden' });
    expect(((await answer) as HttpErrorResponse).status).toBe(403);
    backend.expectNone(REFRESH);
    expect(auth.signedIn()).toBe(true);
  });

  it('renews a token that has run out before sending the call', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      await signIn('token-1');
      vi.setSystemTime(Date.now() + 16 * 60_000);
      const answer = get();
      await settle();
      backend.expectOne(REFRESH).flush(aSession({ access_token: 'token-2' }));
      await settle();
      const call = backend.expectOne(DUE);
      expect(call.request.headers.get('Authorization')).toBe('Bearer token-2');
      call.flush([]);
      await answer;
    } finally {
      vi.useRealTimers();
    }
  });
});
