import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter } from '@angular/router';
import { clickTestId, typeInto } from '../testing/dialog-harness';
import { PasswordPage } from './password-page';

const URL = '/api/v1/auth/password';

describe('PasswordPage', () => {
  let http: HttpTestingController;
  let root: HTMLElement;
  let snack: ReturnType<typeof vi.fn>;

  beforeEach(async () => {
    snack = vi.fn();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: MatSnackBar, useValue: { open: snack } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(PasswordPage);
    root = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  function fillIn(current: string, next: string, again = next): void {
    typeInto(root, 'current-password', current);
    typeInto(root, 'new-password', next);
    typeInto(root, 'confirm-password', again);
  }

  it('changes the password and says so', async () => {
    fillIn('old-password-1', 'new-password-22');
    clickTestId(root, 'password-submit');
    const request = http.expectOne(URL);
    expect(request.request.body).toEqual({
      current_password: 'old-password-1',
      new_password: 'new-password-22',
    });
    request.flush(null, { status: 204, statusText: 'No Content' });
    await vi.waitFor(() =>
      expect(snack).toHaveBeenCalledWith('Password changed. Your other devices have been signed out.', 'OK'),
    );
    expect(root.querySelector<HTMLInputElement>('[data-testid="current-password"]')!.value).toBe('');
  });

  it('shows a wrong current password on its field', async () => {
    fillIn('wrong-password', 'new-password-22');
    clickTestId(root, 'password-submit');
    // A call that answers 204 on success reads its error as text.
    http.expectOne(URL).flush(
      JSON.stringify({
        detail: 'The request is invalid',
        error_code: 'VALIDATION_ERROR',
        errors: [{ field: 'current_password', message: 'is incorrect' }],
      }),
      { status: 400, statusText: 'Bad Request' },
    );
    await vi.waitFor(() =>
      expect(root.querySelector('[data-testid="current-password-error"]')?.textContent).toContain(
        'The current password is incorrect',
      ),
    );
    expect(snack).not.toHaveBeenCalled();
  });

  it('sends nothing while the new password is short or typed differently twice', async () => {
    fillIn('old-password-1', 'short');
    clickTestId(root, 'password-submit');
    await vi.waitFor(() => expect(root.textContent).toContain('Use at least 10 characters'));
    fillIn('old-password-1', 'new-password-22', 'new-password-23');
    clickTestId(root, 'password-submit');
    await vi.waitFor(() => expect(root.textContent).toContain('The two passwords differ'));
    http.expectNone(URL);
  });
});
