import { BreakpointObserver } from '@angular/cdk/layout';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { type MatSelectChange, MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { firstValueFrom, map } from 'rxjs';
import type { MembershipDto, Role } from '../api/models';
import { describeApiError, errorCodeOf } from '../core/api-error';
import { AuthStore } from '../core/auth.store';
import { TenantStore } from '../core/tenant.store';
import { TeamDirectory } from '../team/team-directory';
import { ConfirmDialog, type ConfirmDialogData } from '../ui/confirm-dialog';
import { ErrorState } from '../ui/error-state';
import { AddMemberDialog } from './add-member-dialog';
import { MemberCommands } from './member-commands';
import { ROLE_OPTIONS, roleLabel } from './roles';

const WIDE_COLUMNS = ['name', 'email', 'role', 'status', 'actions'];
const COMPACT_COLUMNS = ['member', 'role', 'actions'];

export const LAST_ADMIN_MESSAGE = 'A team needs at least one admin. Make another member admin first.';

/** The members of the selected team, for its admins: add, change roles, remove. */
@Component({
  selector: 'nat-members-page',
  imports: [
    ErrorState,
    MatButtonModule,
    MatIconModule,
    MatProgressSpinnerModule,
    MatSelectModule,
    MatTableModule,
    MatTooltipModule,
    RouterLink,
  ],
  templateUrl: './members-page.html',
  styleUrl: './members-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MembersPage {
  protected readonly tenants = inject(TenantStore);
  protected readonly directory = inject(TeamDirectory);
  private readonly commands = inject(MemberCommands);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly auth = inject(AuthStore);
  private readonly userId = computed(() => this.auth.user()?.id);

  protected readonly roles = ROLE_OPTIONS;
  protected readonly roleLabel = roleLabel;
  private readonly compact = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 599.98px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly columns = computed(() => (this.compact() ? COMPACT_COLUMNS : WIDE_COLUMNS));
  protected readonly rows = computed(() =>
    this.directory.members().map((member) => ({ ...member, you: member.user_id === this.userId() })),
  );
  protected readonly counts = computed(() => {
    const members = this.directory.members();
    return {
      all: members.length,
      admins: members.filter((member) => member.role === 'admin').length,
      invited: members.filter((member) => member.status === 'invited').length,
    };
  });
  /** Members whose change is being saved: their controls wait. */
  protected readonly busy = signal<ReadonlySet<string>>(new Set());
  /** The last change that failed, until dismissed or the next change. */
  protected readonly actionError = signal<string | null>(null);

  protected readonly trackMember = (_index: number, member: MembershipDto): string => member.user_id;

  constructor() {
    effect(() => {
      this.tenants.selectedId();
      const admin = this.tenants.isAdmin();
      untracked(() => {
        this.actionError.set(null);
        if (admin) void this.directory.load();
      });
    });
  }

  protected addMember(): void {
    this.dialog
      .open<AddMemberDialog, void, MembershipDto>(AddMemberDialog, {
        width: '520px',
        maxWidth: '96vw',
        autoFocus: 'first-tabbable',
      })
      .afterClosed()
      .subscribe((member) => {
        if (member) this.snackBar.open(`${member.name} is now a member, as ${roleLabel(member.role)}.`, 'OK');
      });
  }

  protected async changeRole(
    member: MembershipDto & { you: boolean },
    change: MatSelectChange<Role>,
  ): Promise<void> {
    const role = change.value;
    if (role === member.role) return;
    if (member.you && role !== 'admin') {
      const confirmed = await this.confirm({
        title: 'Give up your admin role?',
        message: `You will no longer be able to manage the members of ${this.teamName()}.`,
        confirm: `Become ${roleLabel(role).toLowerCase()}`,
      });
      if (!confirmed) {
        change.source.value = member.role;
        return;
      }
    }
    await this.saving(member, async () => {
      try {
        await this.commands.changeRole(member.user_id, role);
        this.snackBar.open(`${member.name} is now ${roleLabel(role).toLowerCase()}.`, 'OK');
      } catch (error) {
        change.source.value = member.role;
        throw error;
      }
    });
  }

  protected async remove(member: MembershipDto & { you: boolean }): Promise<void> {
    const confirmed = await this.confirm(
      member.you
        ? {
            title: `Leave ${this.teamName()}?`,
            message: 'You will lose access to this team. Your deals stay in it, unassigned.',
            confirm: 'Leave team',
          }
        : {
            title: `Remove ${member.name}?`,
            message:
              `${member.name} (${member.email}) will no longer see ${this.teamName()}. ` +
              'Their deals stay in the team, unassigned, in the Team view.',
            confirm: 'Remove',
          },
    );
    if (!confirmed) return;
    await this.saving(member, async () => {
      await this.commands.remove(member.user_id);
      this.snackBar.open(`${member.name} was removed from ${this.teamName()}.`, 'OK');
    });
  }

  private async saving(member: MembershipDto, change: () => Promise<void>): Promise<void> {
    this.actionError.set(null);
    this.busy.update((ids) => new Set([...ids, member.user_id]));
    try {
      await change();
    } catch (error) {
      this.actionError.set(
        errorCodeOf(error) === 'LAST_ADMIN'
          ? `${member.name} is the last admin. ${LAST_ADMIN_MESSAGE}`
          : describeApiError(error),
      );
    } finally {
      this.busy.update((ids) => new Set([...ids].filter((id) => id !== member.user_id)));
    }
  }

  private confirm(data: ConfirmDialogData): Promise<boolean | undefined> {
    return firstValueFrom(
      this.dialog
        .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, {
          data,
          width: '440px',
          maxWidth: '96vw',
        })
        .afterClosed(),
    );
  }

  private teamName(): string {
    return this.tenants.current()?.name ?? 'this team';
  }
}
