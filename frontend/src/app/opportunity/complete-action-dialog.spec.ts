import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideNativeDateAdapter } from '@angular/material/core';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import type { OpportunityDto } from '../api/models';
import { addDays } from '../core/time';
import { CompleteActionDialog } from './complete-action-dialog';

const opportunity: OpportunityDto = {
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
  updated_at: '2026-11-01T00:00:00.000Z',
};
const url = `/api/v1/opportunities/${opportunity.id}/complete_action`;

describe('CompleteActionDialog', () => {
  let backend: HttpTestingController;
  let close: ReturnType<typeof vi.fn>;
  let root: HTMLElement;

  beforeEach(async () => {
    close = vi.fn();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideNativeDateAdapter(),
        { provide: MAT_DIALOG_DATA, useValue: { opportunity } },
        { provide: MatDialogRef, useValue: { close } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(CompleteActionDialog);
    await fixture.whenStable();
    root = fixture.nativeElement as HTMLElement;
  });

  afterEach(() => backend.verify());

  function type(testId: string, value: string): void {
    const input = root.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-testid="${testId}"]`)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  function submit(): void {
    root.querySelector<HTMLButtonElement>('[data-testid="submit-complete"]')!.click();
  }

  function pickTomorrow(): void {
    root.querySelector<HTMLButtonElement>('.pick')!.click();
  }

  it('sends the next action with the version it was opened with, and closes with the result', async () => {
    pickTomorrow();
    type('next-details', '  Send the contract  ');
    type('notes', 'Went well');
    submit();
    const request = backend.expectOne(url);
    expect(request.request.body).toEqual({
      new_next_action_at: expect.any(String),
      new_next_action_details: 'Send the contract',
      expected_version: 3,
      notes: 'Went well',
    });
    expect(new Date(request.request.body.new_next_action_at).getTime()).toBeGreaterThan(Date.now());
    const result = { message: 'Action completed successfully', opportunity_id: opportunity.id, opportunity };
    request.flush(result);
    await vi.waitFor(() => expect(close).toHaveBeenCalledWith(result));
  });

  it('sends nothing while the details are missing', () => {
    pickTomorrow();
    submit();
    backend.expectNone(url);
    expect(close).not.toHaveBeenCalled();
  });

  it('refuses a time in the past and explains why', async () => {
    const yesterday = addDays(new Date(), -1);
    type('next-date', yesterday.toLocaleDateString());
    type('next-details', 'Call back');
    submit();
    backend.expectNone(url);
    await vi.waitFor(() => expect(root.textContent).toMatch(/must be in the future|in the past/));
  });

  it('reloads the deal after a 409 and lets the rep submit again with the new version', async () => {
    pickTomorrow();
    type('next-details', 'Send the contract');
    submit();
    backend
      .expectOne(url)
      .flush({ detail: 'changed', error_code: 'VERSION_CONFLICT' }, { status: 409, statusText: 'Conflict' });
    const reload = await vi.waitFor(() => backend.expectOne(`/api/v1/opportunities/${opportunity.id}`));
    reload.flush({ ...opportunity, version: 4, next_action_details: 'Changed by a colleague' });
    await vi.waitFor(() => expect(root.textContent).toContain('Changed by a colleague'));
    expect(root.querySelector('[data-testid="dialog-error"]')?.textContent).toMatch(/changed elsewhere/);
    submit();
    const retry = await vi.waitFor(() => backend.expectOne(url));
    expect(retry.request.body.expected_version).toBe(4);
    retry.flush({ message: 'Action completed successfully', opportunity_id: opportunity.id, opportunity });
    await vi.waitFor(() => expect(close).toHaveBeenCalled());
  });
});
