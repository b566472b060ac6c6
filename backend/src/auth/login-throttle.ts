import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { ApiError } from '../common/errors/api-error';
import { ErrorCode } from '../common/errors/error-code';
import type { AuthSettings } from '../config/config';
import { ScopedDatabase } from '../tenancy/scoped-database';
import { AUTH_SETTINGS } from './auth-settings';

const FIFTEEN_MINUTES = 15 * 60;
const ONE_HOUR = 60 * 60;

export class TooManyRequests extends ApiError {
  constructor(
    readonly retryAfterSeconds: number,
    what: string,
  ) {
    super(ErrorCode.TOO_MANY_REQUESTS, `Too many ${what}: try again in ${retryAfterSeconds} seconds.`);
    this.headers['Retry-After'] = String(retryAfterSeconds);
  }
}

interface PgQuery {
  text: string;
  values?: unknown[];
}

/**
 * Sign-in and sign-up limits, counted in PostgreSQL (rate-limiter-flexible's store) so that every API
 * process shares them. Each count runs in its own short transaction as the application role, and is kept
 * even when the attempt it counts fails.
 */
@Injectable()
export class LoginThrottle {
  private readonly perIp: RateLimiterPostgres;
  private readonly perAccount: RateLimiterPostgres;
  private readonly signups: RateLimiterPostgres;

  constructor(database: ScopedDatabase, @Inject(AUTH_SETTINGS) settings: AuthSettings) {
    const storeClient = {
      query: async ({ text, values }: PgQuery) => {
        const rows = await database.run({}, () => database.rows(text, values));
        return { rows, rowCount: rows.length };
      },
    };
    const store = { storeClient, storeType: 'client', tableName: 'rate_limits', tableCreated: true };
    this.perIp = new RateLimiterPostgres({
      ...store,
      keyPrefix: 'login_ip',
      points: settings.loginPerIp,
      duration: FIFTEEN_MINUTES,
      clearExpiredByTimeout: true,
    });
    this.perAccount = new RateLimiterPostgres({
      ...store,
      keyPrefix: 'login_account',
      points: settings.loginPerAccount,
      duration: FIFTEEN_MINUTES,
      clearExpiredByTimeout: false,
    });
    this.signups = new RateLimiterPostgres({
      ...store,
      keyPrefix: 'signup_ip',
      points: settings.signupPerIp,
      duration: ONE_HOUR,
      clearExpiredByTimeout: false,
    });
  }

  /** Every attempt from an IP counts, successful or not. */
  async attemptFrom(ip: string): Promise<void> {
    await consume(this.perIp, ip, 'sign-in attempts from this address');
  }

  /** Refuses while the account has used up its failures; only failures count. */
  async checkAccount(email: string): Promise<void> {
    const state = await this.perAccount.get(accountKey(email));
    if (state && state.consumedPoints >= this.perAccount.points) {
      throw new TooManyRequests(secondsOf(state), 'failed sign-ins for this account');
    }
  }

  async failedFor(email: string): Promise<void> {
    await this.perAccount.penalty(accountKey(email), 1);
  }

  async succeededFor(email: string): Promise<void> {
    await this.perAccount.delete(accountKey(email));
  }

  async signupFrom(ip: string): Promise<void> {
    await consume(this.signups, ip, 'sign-ups from this address');
  }
}

function accountKey(email: string): string {
  return email.trim().toLowerCase().slice(0, 200);
}

function secondsOf(state: RateLimiterRes): number {
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}

async function consume(limiter: RateLimiterPostgres, key: string, what: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw new TooManyRequests(secondsOf(rejection), what);
    throw rejection;
  }
}
