import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { ApiError } from '../common/errors/api-error';
import { ErrorCode } from '../common/errors/error-code';
import type { Tenant } from '../tenants/tenant.entity';
import { requestLogFieldsOf } from './log-fields';
import { TEAM_ROLES, type Role } from './role';

const TENANT_KEY = 'tenant';

/** The tenant of the request and the caller's role in it, set once the membership has been checked. */
export interface TenantMember {
  tenant: Tenant;
  userId: string;
  role: Role;
}

/** The tenant of the current request, set by the RequestScopeInterceptor and read by services. */
@Injectable()
export class TenantContext {
  constructor(private readonly cls: ClsService) {}

  set(member: TenantMember): void {
    this.cls.set(TENANT_KEY, member);
    requestLogFieldsOf(this.cls).tenant_id = member.tenant.id;
  }

  /** Throws when a tenant-scoped service is reached without @TenantEndpoint: a wiring bug, never a client error. */
  get member(): TenantMember {
    const member = this.cls.get<TenantMember | undefined>(TENANT_KEY);
    if (!member) throw new Error('No tenant in context: is the route missing @TenantEndpoint()?');
    return member;
  }

  get current(): Tenant {
    return this.member.tenant;
  }

  get userId(): string {
    return this.member.userId;
  }

  get role(): Role {
    return this.member.role;
  }

  /** Managers and admins see the whole team; a rep sees what they own. */
  get seesTeam(): boolean {
    return this.role !== 'rep';
  }

  /** What the caller may reach by id: a rep only their own deals, managers and admins the whole tenant's. */
  visibility(): { tenantId: string; ownerId?: string } {
    return this.seesTeam
      ? { tenantId: this.current.id }
      : { tenantId: this.current.id, ownerId: this.userId };
  }

  /** What a list covers: `mine` (owned by the caller) or `team` (managers and admins only). */
  visibilityOf(scope: 'mine' | 'team'): { tenantId: string; ownerId?: string } {
    if (scope === 'mine') return { tenantId: this.current.id, ownerId: this.userId };
    this.require(TEAM_ROLES, 'see the team view (scope=team)');
    return { tenantId: this.current.id };
  }

  /** Throws 403 FORBIDDEN unless the caller has one of `roles`; `what` completes "Only … can …". */
  require(roles: readonly Role[], what: string): void {
    if (!roles.includes(this.role)) {
      throw new ApiError(ErrorCode.FORBIDDEN, `Only ${describeRoles(roles)} can ${what}.`);
    }
  }
}

export function describeRoles(roles: readonly Role[]): string {
  const names = roles.map((role) => `${role}s`);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0];
}
