import { ApiError } from './api-error';
import { ErrorCode } from './error-code';

/** Socket-level failures: the server is down, unreachable, or the connection to it broke. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server that cannot serve: class 08 (connection exception), shutting down or starting up
 * (57P01–57P03), out of connection slots (53300).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53300)$/;

/** What node-postgres says, without a code, when a connection dies or cannot be made in time. */
const CONNECTION_MESSAGES = ['Connection terminated', 'not queryable', 'Connection refused'];

/** What pg-pool says when every connection stayed in use for the whole wait: overload, not an outage. */
const POOL_WAIT_TIMEOUT = 'timeout exceeded when trying to connect';

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** True when `error` (or what it wraps: TypeORM's driverError, a cause, an AggregateError's errors) means the database does not answer. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 4 || typeof error !== 'object' || error === null) return false;
  const { code, message, driverError, cause, errors } = error as ErrorLike;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  if (typeof message === 'string' && CONNECTION_MESSAGES.some((text) => message.includes(text))) return true;
  const inner = [driverError, cause, ...(Array.isArray(errors) ? (errors as unknown[]) : [])];
  return inner.some((wrapped) => isDatabaseUnavailable(wrapped, depth + 1));
}

export function isPoolExhausted(error: unknown): boolean {
  return error instanceof Error && error.message.includes(POOL_WAIT_TIMEOUT);
}

/**
 * 503 with a hint to retry. The request's transaction rolled back, unless the database went away while it
 * committed: then the change may be saved, and only a retry with the same Idempotency-Key is safe.
 */
export class DatabaseUnavailable extends ApiError {
  constructor() {
    super(ErrorCode.DATABASE_UNAVAILABLE, 'The database does not answer: try again in a few seconds.');
    this.headers['Retry-After'] = '2';
  }
}

/** 503 when no database connection came free in time: the server is overloaded, the database is fine. */
export class ServerBusy extends ApiError {
  constructor() {
    super(ErrorCode.SERVER_BUSY, 'NAT is busy: every database connection is in use. Try again in a moment.');
    this.headers['Retry-After'] = '1';
  }
}
