import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log';
import { InvitationTokens } from '../auth/invitation-tokens';
import { ApiError, ValidationFailed } from '../common/errors/api-error';
import { ErrorCode } from '../common/errors/error-code';
import type { Role } from '../tenancy/role';
import { ScopedDatabase } from '../tenancy/scoped-database';
import { TenantContext } from '../tenancy/tenant-context';
import type { AddMemberDto } from './dto/add-member.dto';
import { type AddMemberResultDto, MembershipDto, type MembershipRow } from './dto/membership.dto';

const MEMBER_COLUMNS = `m.user_id, u.email, u.name, m.role, m.created_at, (u.password_hash IS NULL) AS invited`;

class MembershipNotFound extends ApiError {
  constructor() {
    super(ErrorCode.MEMBERSHIP_NOT_FOUND, 'No member of this tenant has that user id.');
  }
}

class LastAdmin extends ApiError {
  constructor() {
    super(ErrorCode.LAST_ADMIN, 'A tenant keeps at least one admin: make someone else admin first.');
  }
}

/** The members of the current tenant: who they are, their roles, and (for admins) adding and removing them. */
@Injectable()
export class TenantMembers {
  constructor(
    private readonly database: ScopedDatabase,
    private readonly tenantContext: TenantContext,
    private readonly invitations: InvitationTokens,
    private readonly audit: AuditLog,
  ) {}

  async isMember(userId: string): Promise<boolean> {
    const rows: unknown[] = await this.database.rows(
      `SELECT 1 FROM memberships WHERE tenant_id = $1 AND user_id = $2`,
      [this.tenantId, userId],
    );
    return rows.length > 0;
  }

  async list(): Promise<MembershipDto[]> {
    const rows: MembershipRow[] = await this.database.rows(
      `SELECT ${MEMBER_COLUMNS} FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.tenant_id = $1 ORDER BY lower(u.name), u.email`,
      [this.tenantId],
    );
    return rows.map((row) => MembershipDto.from(row));
  }

  /**
   * An existing user joins at once; an unknown email becomes an invited user with a one-time token that the
   * admin passes on (POST /auth/invitation sets the password).
   */
  async add(dto: AddMemberDto): Promise<AddMemberResultDto> {
    const [{ id: existing }] = await this.database.rows<{ id: string | null }>(
      `SELECT nat_user_id_by_email($1) AS id`,
      [dto.email],
    );
    let userId = existing;
    if (!userId) {
      if (!dto.name) {
        throw ValidationFailed.of('name', 'name is required to invite someone who has no account yet');
      }
      userId = randomUUID();
      await this.database.rows(
        `INSERT INTO users (id, email, name, timezone) VALUES ($1, lower(btrim($2)), $3, $4)`,
        [userId, dto.email, dto.name, this.tenantContext.current.timezone],
      );
    }
    const inserted: unknown[] = await this.database.rows(
      `INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, user_id) DO NOTHING RETURNING user_id`,
      [this.tenantId, userId, dto.role],
    );
    if (inserted.length === 0)
      throw new ApiError(ErrorCode.ALREADY_MEMBER, `${dto.email} is already a member.`);
    const invitation = existing ? undefined : await this.invitations.issue(this.tenantId, userId);
    await this.audit.record('membership.added', 'user', userId, { role: dto.role, invited: !existing });
    return { membership: await this.get(userId), ...(invitation && { invitation }) };
  }

  async changeRole(userId: string, role: Role): Promise<MembershipDto> {
    const current = await this.lockForChange(userId);
    if (current.role === role) return this.get(userId);
    if (current.isOnlyAdmin) throw new LastAdmin();
    await this.database.rows(`UPDATE memberships SET role = $3 WHERE tenant_id = $1 AND user_id = $2`, [
      this.tenantId,
      userId,
      role,
    ]);
    await this.audit.record('membership.role_changed', 'user', userId, { from: current.role, to: role });
    return this.get(userId);
  }

  /** Their deals stay, unassigned (the foreign key sets owner_id to NULL), for a manager to hand on. */
  async remove(userId: string): Promise<void> {
    const current = await this.lockForChange(userId);
    if (current.isOnlyAdmin) throw new LastAdmin();
    await this.database.rows(`DELETE FROM memberships WHERE tenant_id = $1 AND user_id = $2`, [
      this.tenantId,
      userId,
    ]);
    await this.audit.record('membership.removed', 'user', userId, { role: current.role });
  }

  async get(userId: string): Promise<MembershipDto> {
    const rows: MembershipRow[] = await this.database.rows(
      `SELECT ${MEMBER_COLUMNS} FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.tenant_id = $1 AND m.user_id = $2`,
      [this.tenantId, userId],
    );
    if (!rows[0]) throw new MembershipNotFound();
    return MembershipDto.from(rows[0]);
  }

  /**
   * Locks the tenant's admin rows before looking, so two admins demoting each other at the same moment cannot
   * both succeed and leave the tenant without one.
   */
  private async lockForChange(userId: string): Promise<{ role: Role; isOnlyAdmin: boolean }> {
    const admins: { user_id: string }[] = await this.database.rows(
      `SELECT user_id FROM memberships WHERE tenant_id = $1 AND role = 'admin' ORDER BY user_id FOR UPDATE`,
      [this.tenantId],
    );
    const rows: { role: Role }[] = await this.database.rows(
      `SELECT role FROM memberships WHERE tenant_id = $1 AND user_id = $2 FOR UPDATE`,
      [this.tenantId, userId],
    );
    const current = rows[0];
    if (!current) throw new MembershipNotFound();
    return { role: current.role, isOnlyAdmin: current.role === 'admin' && admins.length === 1 };
  }

  private get tenantId(): string {
    return this.tenantContext.current.id;
  }
}
