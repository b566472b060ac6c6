import { Injectable } from '@nestjs/common';
import { ApiError, ValidationFailed } from '../common/errors/api-error';
import { ErrorCode } from '../common/errors/error-code';
import { ScopedDatabase } from '../tenancy/scoped-database';
import { AuditLog } from '../audit/audit-log';
import { Unauthenticated } from './auth.guard';
import { AuthEvents } from './auth-events';
import type { AcceptInvitationDto, ChangePasswordDto, LoginDto } from './dto/credentials.dto';
import type { MeDto } from './dto/session.dto';
import { InvitationTokens } from './invitation-tokens';
import { LoginThrottle, TooManyRequests } from './login-throttle';
import { Passwords } from './passwords';
import { RefreshTokens, refreshRefused } from './refresh-tokens';
import { type IssuedSession, Sessions } from './sessions';

export class InvalidCredentials extends ApiError {
  constructor() {
    super(ErrorCode.INVALID_CREDENTIALS, 'Email or password is incorrect.');
  }
}

/**
 * Sign-in, refresh, sign-out, password change and invitations. Password hashing runs outside any
 * transaction, so a slow hash never holds a database connection.
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly database: ScopedDatabase,
    private readonly passwords: Passwords,
    private readonly throttle: LoginThrottle,
    private readonly sessions: Sessions,
    private readonly refreshTokens: RefreshTokens,
    private readonly invitations: InvitationTokens,
    private readonly authEvents: AuthEvents,
    private readonly audit: AuditLog,
  ) {}

  /** The same answer, after the same work, whether the email is unknown or the password wrong. */
  async login(dto: LoginDto, ip: string): Promise<IssuedSession> {
    try {
      await this.throttle.attemptFrom(ip);
      await this.throttle.checkAccount(dto.email);
    } catch (error) {
      if (error instanceof TooManyRequests) {
        await this.authEvents.record('sign_in_throttled', { email: dto.email, ip });
      }
      throw error;
    }
    const [account] = await this.database.run({}, () =>
      this.database.rows<{ user_id: string; password_hash: string | null }>(
        `SELECT user_id, password_hash FROM nat_login_lookup($1)`,
        [dto.email],
      ),
    );
    if (!(await this.passwords.verify(account?.password_hash, dto.password))) {
      await this.throttle.failedFor(dto.email);
      await this.authEvents.record('sign_in_failed', { email: dto.email, userId: account?.user_id, ip });
      throw new InvalidCredentials();
    }
    await this.throttle.succeededFor(dto.email);
    return this.database.run({ userId: account.user_id }, () => this.sessions.start(account.user_id));
  }

  async refresh(refreshToken: string | undefined): Promise<IssuedSession> {
    if (!refreshToken) throw this.noRefreshToken();
    // A refusal commits too: when a spent token comes back, its whole family stays revoked.
    const issued = await this.database.run({}, async () => {
      const rotated = await this.refreshTokens.rotate(refreshToken);
      return rotated && this.sessions.continue(rotated.userId, rotated.token);
    });
    if (!issued) throw refreshRefused();
    return issued;
  }

  async logout(userId: string, refreshToken: string | undefined): Promise<void> {
    if (refreshToken) await this.refreshTokens.revoke(refreshToken, userId);
  }

  me(userId: string): Promise<MeDto> {
    return this.sessions.me(userId);
  }

  /** Every other session ends; the one that asked (its refresh token, when sent) stays signed in. */
  async changePassword(
    userId: string,
    dto: ChangePasswordDto,
    refreshToken: string | undefined,
  ): Promise<void> {
    const [user] = await this.database.rows<{ password_hash: string | null }>(
      `SELECT password_hash FROM users WHERE id = $1`,
      [userId],
    );
    if (!(await this.passwords.verify(user?.password_hash, dto.current_password))) {
      throw ValidationFailed.of('current_password', 'current_password is incorrect');
    }
    const hash = await this.passwords.hash(dto.new_password);
    await this.database.rows(
      `UPDATE users SET password_hash = $2, password_changed_at = now() WHERE id = $1`,
      [userId, hash],
    );
    const keep = refreshToken ? await this.refreshTokens.familyOf(refreshToken, userId) : undefined;
    await this.database.rescope({ userId });
    await this.refreshTokens.revokeAllOf(userId, keep);
  }

  /** An invited member sets a password with their one-time token, and is signed in. */
  async acceptInvitation(dto: AcceptInvitationDto, ip: string): Promise<IssuedSession> {
    await this.throttle.attemptFrom(ip);
    const hash = await this.passwords.hash(dto.password);
    const session = await this.database.run({}, async () => {
      const invitation = await this.invitations.find(dto.token);
      if (!invitation) return undefined;
      const { tenantId, userId } = invitation;
      await this.database.rescope({ tenantId, userId });
      if (!(await this.invitations.use(tenantId, dto.token))) return undefined;
      await this.database.rows(
        `UPDATE users SET password_hash = $2, password_changed_at = now() WHERE id = $1`,
        [userId, hash],
      );
      await this.audit.recordIn(tenantId, userId, 'membership.invitation_accepted', 'user', userId);
      await this.database.rescope({ userId });
      return this.sessions.start(userId);
    });
    if (!session) {
      await this.authEvents.record('invitation_rejected', { ip });
      throw new ApiError(
        ErrorCode.INVITATION_INVALID,
        'This invitation is unknown, used or expired: ask an admin of the team for a new one.',
      );
    }
    return session;
  }

  private noRefreshToken(): Unauthenticated {
    return new Unauthenticated(
      'No refresh token: send refresh_token in the body, or the nat_refresh cookie, or sign in again.',
    );
  }
}
