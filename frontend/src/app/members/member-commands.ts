import { inject, Injectable } from '@angular/core';
import { Api } from '../api/api';
import { membershipsAdd, membershipsRemove, membershipsChangeRole } from '../api/functions';
import type { AddMemberDto, AddMemberResultDto, MembershipDto, Role } from '../api/models';
import { AuthStore } from '../core/auth.store';
import { TenantStore } from '../core/tenant.store';
import { TeamDirectory } from '../team/team-directory';

/**
 * The admin's changes to the team, through the generated client. The directory of members follows each
 * success at once; a change to the admin's own membership reloads their teams (and so their role).
 */
@Injectable({ providedIn: 'root' })
export class MemberCommands {
  private readonly api = inject(Api);
  private readonly directory = inject(TeamDirectory);
  private readonly tenants = inject(TenantStore);
  private readonly auth = inject(AuthStore);

  async add(body: AddMemberDto): Promise<AddMemberResultDto> {
    const result = await this.api.invoke(membershipsAdd, { body });
    this.directory.upsert(result.membership);
    return result;
  }

  async changeRole(userId: string, role: Role): Promise<MembershipDto> {
    const member = await this.api.invoke(membershipsChangeRole, { user_id: userId, body: { role } });
    this.directory.upsert(member);
    if (this.isMe(userId)) await this.tenants.load();
    return member;
  }

  async remove(userId: string): Promise<void> {
    await this.api.invoke(membershipsRemove, { user_id: userId });
    this.directory.drop(userId);
    if (this.isMe(userId)) await this.tenants.load();
  }

  private isMe(userId: string): boolean {
    return this.auth.user()?.id === userId;
  }
}
