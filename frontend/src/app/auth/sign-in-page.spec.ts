import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { authInterceptor } from '../core/auth.interceptor';
import { AuthStore } from '../core/auth.store';
import { BlankPage } from '../testing/blank-page';
import { clickTestId, typeInto } from '../testing/dialog-harness';
import { aSession } from '../testing/fixtures';
import { SignInPage } from './sign-in-page';

const LOGIN = '/api/v1/auth/login';

describe('SignInPage', () => {
  let backend: HttpTestingController;
  let root: HTMLElement;
  let render: () => Promise<void>;

  async function open(returnUrl?: string): Promise<void> {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([{ path: '**', component: BlankPage }]),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(SignInPage);
    if (returnUrl) fixture.componentRef.setInput('returnUrl', returnUrl);
    root = fixture.nativeElement as HTMLElement;
    render = async () => {
      await new Promise((resolve) => setTimeout(resolve));
      await fixture.whenStable();
    };
    await render();
  }

  afterEach(() => backend.verify());

  function fillIn(email: string, password: string): void {
    typeInto(root, 'sign-in-email', email);
    typeInto(root, 'sign-in-password', password);
  }

  function errorText(): string {
    return root.querySelector('[data-testid="sign-in-error"] span')?.textContent?.trim() ?? '';
  }

  it('signs in with the refresh token kept in a cookie, then goes back to the page the user came from', async () => {
    await open('/opportunities?status=won');
    fillIn('  dana@example.com ', 'correct horse battery');
    clickTestId(root, 'sign-in-submit');
    const login = backend.expectOne(LOGIN);
    expect(login.request.body).toEqual({
      email: 'dana@example.com',
      password: 'correct horse battery',
      cookie: true,
    });
    await render();
    const button = root.querySelector<HTMLButtonElement>('[data-testid="sign-in-submit"]')!;
    expect(button.disabled).toBe(true);
    expect(button.querySelector('mat-spinner')?.getAttribute('aria-label')).toBe('Signing in');

    login.flush(aSession());
    await vi.waitFor(() => expect(TestBed.inject(Router).url).toBe('/opportunities?status=won'));
    expect(TestBed.inject(AuthStore).user()?.email).toBe('dana@example.com');
  });

  it('goes to the due list when the return address points elsewhere', async () => {
    await open('https://evil.example/phish');
    fillIn('dana@example.com', 'correct horse battery');
    clickTestId(root, 'sign-in-submit');
    backend.expectOne(LOGIN).flush(aSession());
    await vi.waitFor(() => expect(TestBed.inject(AuthStore).signedIn()).toBe(true));
    expect(TestBed.inject(Router).url).toBe('/');
  });

  it('says when the email or the password is wrong, and empties the password', async () => {
    await open();
    fillIn('dana@example.com', 'wrong password');
    clickTestId(root, 'sign-in-submit');
    backend
      .expectOne(LOGIN)
      .flush(
        { detail: 'Invalid credentials', error_code: 'INVALID_CREDENTIALS' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await vi.waitFor(async () => {
      await render();
      expect(errorText()).toBe('Email or password is incorrect.');
    });
    expect(root.querySelector('[data-testid="sign-in-error"]')?.getAttribute('role')).toBe('alert');
    const password = root.querySelector<HTMLInputElement>('[data-testid="sign-in-password"]')!;
    expect(password.value).toBe('');
    expect(document.activeElement).toBe(password);
    expect(TestBed.inject(AuthStore).signedIn()).toBe(false);
  });

  it('says how long to wait after too many attempts, from Retry-After', async () => {
    await open();
    fillIn('dana@example.com', 'wrong password');
    clickTestId(root, 'sign-in-submit');
    backend
      .expectOne(LOGIN)
      .flush(
        { detail: 'Too many requests', error_code: 'TOO_MANY_REQUESTS' },
        { status: 429, statusText: 'Too Many Requests', headers: { 'Retry-After': '170' } },
      );
    await vi.waitFor(async () => {
      await render();
      expect(errorText()).toBe('Too many attempts. Try again in 3 minutes.');
    });
  });

  it('asks for both fields before sending anything', async () => {
    await open();
    typeInto(root, 'sign-in-email', 'not-an-email');
    clickTestId(root, 'sign-in-submit');
    await render();
    backend.expectNone(LOGIN);
    expect(root.textContent).toContain('Enter an email address like name@company.com');
    expect(root.textContent).toContain('Enter your password');
  });
});
