import { ChangeDetectionStrategy, Component } from '@angular/core';

/** A grey stand-in for an action card while the list loads. */
@Component({
  selector: 'nat-card-skeleton',
  template: `
    <div class="skeleton" aria-hidden="true">
      <div class="line wide"></div>
      <div class="line short"></div>
      <div class="line"></div>
    </div>
  `,
  styles: `
    .skeleton {
      padding: 16px;
      border-radius: 12px;
      border: 1px solid var(--mat-sys-outline-variant);
    }
    .line {
      height: 14px;
      margin: 8px 0;
      border-radius: 7px;
      width: 70%;
      background: linear-gradient(
        90deg,
        var(--mat-sys-surface-container) 25%,
        var(--mat-sys-surface-container-highest) 50%,
        var(--mat-sys-surface-container) 75%
      );
      background-size: 200% 100%;
      animation: shimmer 1.4s infinite linear;
    }
    .wide {
      width: 90%;
      height: 18px;
    }
    .short {
      width: 40%;
    }
    @keyframes shimmer {
      from {
        background-position: 200% 0;
      }
      to {
        background-position: -200% 0;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .line {
        animation: none;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CardSkeleton {}
