import { ChangeDetectionStrategy, Component, computed, inject, type OnInit } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatDividerModule } from '@angular/material/divider';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import type { OpportunityDto } from '../api/models';
import { AuthStore } from '../core/auth.store';
import { dueDate } from '../core/opportunity';
import { TenantStore } from '../core/tenant.store';
import { formatShortDateTime } from '../core/time';
import { roleLabel } from '../members/roles';
import { NewOpportunityDialog } from '../opportunity/new-opportunity-dialog';

/** "Dana Rep" → "DR"; one letter for one name. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((word) => word.charAt(0).toUpperCase()).join('') || '?';
}

@Component({
  selector: 'nat-shell',
  imports: [
    MatButtonModule,
    MatDividerModule,
    MatFormFieldModule,
    MatIconModule,
    MatMenuModule,
    MatSelectModule,
    MatToolbarModule,
    MatTooltipModule,
    RouterLink,
    RouterLinkActive,
    RouterOutlet,
  ],
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell implements OnInit {
  protected readonly tenants = inject(TenantStore);
  protected readonly auth = inject(AuthStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly initials = computed(() => initialsOf(this.auth.user()?.name ?? ''));
  protected readonly roleLabel = computed(() => {
    const role = this.tenants.role();
    return role ? roleLabel(role) : null;
  });

  ngOnInit(): void {
    void this.tenants.ensureLoaded();
  }

  protected signOut(): Promise<void> {
    return this.auth.signOut();
  }

  protected selectTenant(id: string): void {
    this.tenants.select(id);
  }

  protected openNewOpportunity(): void {
    this.dialog
      .open<NewOpportunityDialog, void, OpportunityDto>(NewOpportunityDialog, {
        width: '560px',
        maxWidth: '96vw',
        autoFocus: 'first-tabbable',
      })
      .afterClosed()
      .subscribe((created) => {
        if (created) {
          this.snackBar.open(
            `Created “${created.name}”. First action due ${formatShortDateTime(dueDate(created))}.`,
            'OK',
          );
        }
      });
  }
}
