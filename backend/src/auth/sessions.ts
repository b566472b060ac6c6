import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AuditLog } from '../audit/audit-log';
import type { Role } from '../tenancy/role';
import { ScopedDatabase } from '../tenancy/scoped-database';
import { ACCESS_TOKEN_SECONDS, type AccessTokenClaims, TOKEN_AUDIENCE, TOKEN_ISSUER } from './access-token';
import { Unauthenticated } from './auth.guard';
import type { MeDto, SessionDto } from './dto/session.dto';
import { RefreshTokens } from './refresh-tokens';

/** A session as the API hands it out; the controller decides whether the refresh token goes into a cookie. */
export interface IssuedSession {
  session: Omit<SessionDto, 'refresh_token'>;
  refreshToken: string;
}

interface MeRow {
  id: string;
  email: string;
  name: string;
  timezone: string;
  memberships: { tenant_id: string; tenant_name: string; role: Role }[];
}

/** Who the signed-in user is, and the tokens that prove it. Runs in a transaction scoped to that user. */
@Injectable()
export class Sessions {
  constructor(
    private readonly database: ScopedDatabase,
    private readonly jwt: JwtService,
    private readonly refreshTokens: RefreshTokens,
    private readonly audit: AuditLog,
  ) {}

  /** The user and their tenants, read through the policies that let a user see their own memberships. */
  async me(userId: string): Promise<MeDto> {
    const [row] = await this.database.rows<MeRow>(
      `SELECT u.id, u.email, u.name, u.timezone,
              coalesce(jsonb_agg(jsonb_build_object('tenant_id', t.id, 'tenant_name', t.name, 'role', m.role)
                                 ORDER BY lower(t.name), t.id) FILTER (WHERE m.tenant_id IS NOT NULL), '[]') AS memberships
         FROM users u
         LEFT JOIN memberships m ON m.user_id = u.id
         LEFT JOIN tenants t ON t.id = m.tenant_id
        WHERE u.id = $1
        GROUP BY u.id`,
      [userId],
    );
    if (!row) throw new Unauthenticated('This account no longer exists: sign in again.');
    return row;
  }

  /** A new session (sign-in, sign-up, invitation), recorded as a sign-in in each of the user's tenants. */
  async start(userId: string): Promise<IssuedSession> {
    const user = await this.me(userId);
    for (const membership of user.memberships) {
      await this.database.rescope({ tenantId: membership.tenant_id, userId });
      await this.audit.recordIn(membership.tenant_id, userId, 'user.signed_in', 'user', userId);
    }
    await this.database.rescope({ userId });
    return this.issue(user, await this.refreshTokens.issue(userId));
  }

  /** The next access token of an existing session, its memberships read afresh. */
  async continue(userId: string, refreshToken: string): Promise<IssuedSession> {
    return this.issue(await this.me(userId), refreshToken);
  }

  private async issue(user: MeDto, refreshToken: string): Promise<IssuedSession> {
    const claims: AccessTokenClaims = {
      sub: user.id,
      memberships: user.memberships.map(({ tenant_id, role }) => ({ tenant_id, role })),
    };
    const accessToken = await this.jwt.signAsync(claims, {
      expiresIn: ACCESS_TOKEN_SECONDS,
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      algorithm: 'HS256',
    });
    return {
      session: { access_token: accessToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_SECONDS, user },
      refreshToken,
    };
  }
}
