import { ChangeDetectionStrategy, Component, inject, type OnInit } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import type { OpportunityDto } from '../api/models';
import { formatShortDateTime } from '../core/time';
import { TenantStore } from '../core/tenant.store';
import { NewOpportunityDialog } from '../opportunity/new-opportunity-dialog';
import { dueDate } from '../core/opportunity';

@Component({
  selector: 'nat-shell',
  imports: [
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
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
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  ngOnInit(): void {
    void this.tenants.load();
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
