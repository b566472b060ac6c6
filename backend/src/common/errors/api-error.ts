import { ErrorCode, httpStatusOf } from './error-code';

export interface FieldError {
  field: string;
  message: string;
}

/** The one error body of the API: `{ detail, error_code, errors? }`. */
export interface ErrorBody {
  detail: string;
  error_code: ErrorCode;
  errors?: FieldError[];
}

/** A failure the client can act on. Thrown anywhere; the global filter turns it into the error envelope. */
export class ApiError extends Error {
  /** Response headers that belong to the error, such as Retry-After. */
  readonly headers: Record<string, string> = {};

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  get status(): number {
    return httpStatusOf(this.code);
  }

  toBody(): ErrorBody {
    return this.errors
      ? { detail: this.detail, error_code: this.code, errors: this.errors }
      : { detail: this.detail, error_code: this.code };
  }
}

export class ValidationFailed extends ApiError {
  constructor(errors: FieldError[]) {
    super(ErrorCode.VALIDATION_ERROR, 'The request is invalid: see errors for each field.', errors);
  }

  static of(field: string, message: string): ValidationFailed {
    return new ValidationFailed([{ field, message }]);
  }
}

export class OpportunityNotFound extends ApiError {
  constructor() {
    super(ErrorCode.OPPORTUNITY_NOT_FOUND, 'Opportunity not found or access denied');
  }
}

export class VersionConflict extends ApiError {
  constructor(expected: number, current: number) {
    super(
      ErrorCode.VERSION_CONFLICT,
      `The opportunity changed elsewhere: expected version ${expected}, current version is ${current}. Reload it and try again.`,
    );
  }
}

export class OpportunityClosed extends ApiError {
  constructor() {
    super(ErrorCode.OPPORTUNITY_CLOSED, 'The opportunity is closed: reopen it with a new next action first.');
  }
}

export class OpportunityNotClosed extends ApiError {
  constructor() {
    super(
      ErrorCode.OPPORTUNITY_NOT_CLOSED,
      'The opportunity is open: only a closed opportunity can be reopened.',
    );
  }
}
