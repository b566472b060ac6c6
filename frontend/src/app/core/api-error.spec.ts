import { HttpErrorResponse } from '@angular/common/http';
import { describeApiError, errorCodeOf, fieldErrorsOf } from './api-error';

function failure(status: number, error: unknown): HttpErrorResponse {
  return new HttpErrorResponse({ status, error });
}

describe('describeApiError', () => {
  it('lists the field messages of a validation error', () => {
    const error = failure(400, {
      detail: 'The request is invalid',
      error_code: 'VALIDATION_ERROR',
      errors: [{ field: 'new_next_action_at', message: 'new_next_action_at must be in the future' }],
    });
    expect(describeApiError(error)).toBe('new_next_action_at must be in the future');
  });

  it('explains a version conflict in the words of a rep', () => {
    const error = failure(409, { detail: 'expected version 1, current 2', error_code: 'VERSION_CONFLICT' });
    expect(describeApiError(error)).toBe('This deal was changed elsewhere in the meantime.');
    expect(errorCodeOf(error)).toBe('VERSION_CONFLICT');
  });

  it('falls back to the detail of codes it has no sentence for', () => {
    expect(
      describeApiError(
        failure(413, { detail: 'The request body is too large.', error_code: 'PAYLOAD_TOO_LARGE' }),
      ),
    ).toBe('The request body is too large.');
  });

  it('says when the server cannot be reached', () => {
    expect(describeApiError(failure(0, null))).toMatch(/Cannot reach NAT/);
  });

  it('copes with a body that is not the error envelope', () => {
    expect(describeApiError(failure(502, '<html>Bad gateway</html>'))).toBe(
      'The server answered 502. Try again.',
    );
    expect(errorCodeOf(failure(502, 'x'))).toBeNull();
  });

  it('reads the envelope of a call that answers nothing on success, whose error comes as text', () => {
    const error = failure(409, JSON.stringify({ detail: 'Last admin', error_code: 'LAST_ADMIN' }));
    expect(errorCodeOf(error)).toBe('LAST_ADMIN');
    expect(describeApiError(error)).toBe('A team needs at least one admin. Make another member admin first.');
    expect(
      fieldErrorsOf(
        failure(
          400,
          JSON.stringify({
            detail: 'invalid',
            error_code: 'VALIDATION_ERROR',
            errors: [{ field: 'current_password', message: 'is incorrect' }],
          }),
        ),
      ),
    ).toEqual([{ field: 'current_password', message: 'is incorrect' }]);
  });
});
