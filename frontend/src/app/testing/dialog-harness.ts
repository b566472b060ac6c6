import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { Type } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideNativeDateAdapter } from '@angular/material/core';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { vi, type Mock } from 'vitest';
import type { OpportunityDto } from '../api/models';

/** An open opportunity as the API returns it; tests override what matters to them. */
export function anOpportunity(overrides: Partial<OpportunityDto> = {}): OpportunityDto {
  return {
    id: '123e4567-e89b-12d3-a456-426614174000',
    name: 'Acme Corp Deal',
    value: 50000,
    stage: 'Proposal',
    next_action_at: '2026-11-25T10:00:00.000Z',
    next_action_details: 'Follow up on proposal feedback',
    is_overdue: true,
    status: 'open',
    reschedule_count: 0,
    closed_at: null,
    version: 3,
    created_at: '2026-11-01T00:00:00.000Z',
    owner_id: null,
    updated_at: '2026-11-01T00:00:00.000Z',
    ...overrides,
  };
}

export interface DialogUnderTest {
  root: HTMLElement;
  backend: HttpTestingController;
  /** MatDialogRef.close: what the dialog answered its opener. */
  close: Mock;
}

/**
 * Renders a dialog component as MatDialog would, with `data`, a spy for closing, and HTTP answered by the test.
 * `prepare` runs before the component is created (e.g. to select a tenant).
 */
export async function openDialog<T>(
  component: Type<T>,
  data: unknown,
  prepare?: () => void,
): Promise<DialogUnderTest> {
  const close = vi.fn();
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideNativeDateAdapter(),
      { provide: MAT_DIALOG_DATA, useValue: data },
      { provide: MatDialogRef, useValue: { close } },
    ],
  });
  prepare?.();
  const backend = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(component);
  await fixture.whenStable();
  return { root: fixture.nativeElement as HTMLElement, backend, close };
}

/** Types into the field with that data-testid, as a user would (one input event). */
export function typeInto(root: HTMLElement, testId: string, value: string): void {
  const input = root.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-testid="${testId}"]`)!;
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

export function clickTestId(root: HTMLElement, testId: string): void {
  root.querySelector<HTMLButtonElement>(`[data-testid="${testId}"]`)!.click();
}
