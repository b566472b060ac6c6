import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { ApiError, ValidationFailed } from '../common/errors/api-error';
import { ErrorCode } from '../common/errors/error-code';
import type { AuthSettings } from '../config/config';
import { ScopedDatabase } from '../tenancy/scoped-database';
import { AUTH_SETTINGS } from './auth-settings';
import type { SignupDto } from './dto/signup.dto';
import { LoginThrottle } from './login-throttle';
import { Passwords } from './passwords';
import { type IssuedSession, Sessions } from './sessions';

/** What a new tenant and its first admin need; the HTTP sign-up and `make create-admin` share it. */
export interface NewTenant {
  tenantName: string;
  tenantId?: string;
  timezone: string;
  currency: string;
  name: string;
  email: string;
  password: string;
}

/** `Acme Sales, Inc.` → `acme-sales-inc-3f9a`: readable, and unlikely to be taken. */
export function tenantIdFrom(name: string): string {
  const slug = name
    .normalize('NFKD')
    // NFKD splits `Ü` into `U` and a combining mark: dropping the marks keeps `Über` one word, `uber`.
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
  return `${slug || 'team'}-${randomBytes(2).toString('hex')}`;
}

/** The unique (23505) or check (23514) constraint an INSERT broke. */
function constraintOf(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' || driverError.code === '23514' ? driverError.constraint : undefined;
}

@Injectable()
export class Signup {
  constructor(
    private readonly database: ScopedDatabase,
    private readonly passwords: Passwords,
    private readonly throttle: LoginThrottle,
    private readonly sessions: Sessions,
    private readonly audit: AuditLog,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {}

  async signup(dto: SignupDto, ip: string): Promise<IssuedSession> {
    if (!this.settings.signupEnabled) {
      throw new ApiError(
        ErrorCode.SIGNUP_DISABLED,
        'Sign-up is closed on this installation: ask an administrator for an invitation.',
      );
    }
    await this.throttle.signupFrom(ip);
    const { tenantId, userId } = await this.createTenant({
      tenantName: dto.tenant_name,
      tenantId: dto.tenant_id,
      timezone: dto.timezone,
      currency: dto.currency,
      name: dto.name,
      email: dto.email,
      password: dto.password,
    });
    return this.database.run({ userId, tenantId }, () => this.sessions.start(userId));
  }

  /** The tenant, its first admin and the membership between them, in one transaction. */
  async createTenant(tenant: NewTenant): Promise<{ tenantId: string; userId: string }> {
    const hash = await this.passwords.hash(tenant.password);
    const tenantId = tenant.tenantId ?? tenantIdFrom(tenant.tenantName);
    const userId = randomUUID();
    try {
      await this.database.run({ tenantId, userId }, async () => {
        await this.database.rows(
          `INSERT INTO tenants (id, name, timezone, currency) VALUES ($1, $2, $3, $4)`,
          [tenantId, tenant.tenantName, tenant.timezone, tenant.currency],
        );
        await this.database.rows(
          `INSERT INTO users (id, email, name, timezone, password_hash, password_changed_at)
           VALUES ($1, lower(btrim($2)), $3, $4, $5, now())`,
          [userId, tenant.email, tenant.name, tenant.timezone, hash],
        );
        await this.database.rows(
          `INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'admin')`,
          [tenantId, userId],
        );
        await this.audit.recordIn(tenantId, userId, 'tenant.created', 'tenant', tenantId);
      });
    } catch (error) {
      const constraint = constraintOf(error);
      if (constraint === 'tenants_pkey') {
        throw new ApiError(ErrorCode.TENANT_ID_TAKEN, `The tenant id ${tenantId} is taken: choose another.`);
      }
      // The runtime's zone data still knows zones the database's has dropped (US/Pacific-New): the database decides.
      if (constraint === 'tenants_timezone_known' || constraint === 'users_timezone_known') {
        throw ValidationFailed.of('timezone', 'timezone must be an IANA time zone such as Europe/Berlin');
      }
      if (constraint === 'users_email_key') {
        throw new ApiError(
          ErrorCode.EMAIL_TAKEN,
          'An account with this email exists: sign in, and ask an admin of the new team to add you.',
        );
      }
      throw error;
    }
    return { tenantId, userId };
  }
}
