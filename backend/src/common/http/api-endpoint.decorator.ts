import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorCode, httpStatusOf } from '../errors/error-code';
import { ErrorDto } from '../errors/error.dto';

const EXAMPLE_DETAIL: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.VALIDATION_ERROR]: 'The request is invalid: see errors for each field.',
  [ErrorCode.MALFORMED_JSON]: 'The request body is not valid JSON.',
  [ErrorCode.TENANT_ID_MISSING]: 'The X-Tenant-ID header is required.',
  [ErrorCode.TENANT_ID_INVALID]: 'The X-Tenant-ID header must be 2-63 lowercase letters, digits or hyphens.',
  [ErrorCode.UNAUTHENTICATED]: 'Sign in first: the Authorization header needs a valid Bearer access token.',
  [ErrorCode.INVALID_CREDENTIALS]: 'Email or password is incorrect.',
  [ErrorCode.TENANT_ACCESS_DENIED]: 'You are not a member of tenant demo-tenant-9.',
  [ErrorCode.FORBIDDEN]: 'Only managers and admins can see the team view.',
  [ErrorCode.TOO_MANY_REQUESTS]: 'Too many sign-in attempts: try again in 900 seconds.',
  [ErrorCode.LAST_ADMIN]: 'A tenant keeps at least one admin: make someone else admin first.',
  [ErrorCode.OPPORTUNITY_NOT_FOUND]: 'Opportunity not found or access denied',
  [ErrorCode.VERSION_CONFLICT]:
    'The opportunity changed elsewhere: expected version 3, current version is 4.',
  [ErrorCode.OPPORTUNITY_CLOSED]: 'The opportunity is closed: reopen it with a new next action first.',
  [ErrorCode.OPPORTUNITY_NOT_CLOSED]: 'The opportunity is open: only a closed opportunity can be reopened.',
  [ErrorCode.SERVICE_UNAVAILABLE]: 'NAT is shutting down: send the request again.',
  [ErrorCode.DATABASE_UNAVAILABLE]: 'The database does not answer: try again in a few seconds.',
  [ErrorCode.SERVER_BUSY]: 'NAT is busy: every database connection is in use. Try again in a moment.',
  [ErrorCode.IDEMPOTENCY_KEY_INVALID]: 'The Idempotency-Key header must be 1-255 printable ASCII characters.',
  [ErrorCode.IDEMPOTENCY_KEY_REUSED]:
    'This Idempotency-Key was used for a different request: use a new key for a new request.',
  [ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS]:
    'A request with this Idempotency-Key is still running: retry once it has finished.',
};

const EXAMPLE_EXTRA: Partial<Record<ErrorCode, object>> = {
  [ErrorCode.VALIDATION_ERROR]: {
    errors: [{ field: 'new_next_action_at', message: 'new_next_action_at must be in the future' }],
  },
};

/** Documents each listed error code under its HTTP status, with an example body per code. */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = httpStatusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ApiExtraModels(ErrorDto),
    ...[...byStatus.entries()].map(([status, statusCodes]) =>
      ApiResponse({
        status,
        description: statusCodes.join(', '),
        content: {
          'application/json': {
            schema: { $ref: getSchemaPath(ErrorDto) },
            examples: Object.fromEntries(
              statusCodes.map((code) => [
                code,
                { value: { detail: EXAMPLE_DETAIL[code] ?? code, error_code: code, ...EXAMPLE_EXTRA[code] } },
              ]),
            ),
          },
        },
      }),
    ),
  );
}

export interface EndpointOptions {
  summary: string;
  description?: string;
  errors?: ErrorCode[];
}

/**
 * One decorator per route for its documentation: summary, and every error it can answer with. Any route may
 * find the database down or every connection busy (503, retry later), or the instance draining for a restart
 * (503, retry at once).
 */
export function ApiEndpoint({ summary, description, errors = [] }: EndpointOptions): MethodDecorator {
  return applyDecorators(
    ApiOperation({ summary, description }),
    ApiErrors(
      ...errors,
      ErrorCode.DATABASE_UNAVAILABLE,
      ErrorCode.SERVER_BUSY,
      ErrorCode.SERVICE_UNAVAILABLE,
    ),
  );
}
