import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideNativeDateAdapter } from '@angular/material/core';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import type { BulkResultDto, OpportunityDto } from '../api/models';
import { BulkRescheduleDialog } from './bulk-reschedule-dialog';

const URL = '/api/v1/opportunities/bulk/reschedule';

function opportunity(id: string, version: number): OpportunityDto {
  return {
    id,
    name: `Deal ${id}`,
    value: 1000,
    stage: 'Proposal',
    next_action_at: '2026-11-25T09:00:00.000Z',
    next_action_details: 'Call',
    is_overdue: true,
    status: 'open',
    reschedule_count: 1,
    closed_at: null,
    version,
    created_at: '2026-11-01T00:00:00.000Z',
    owner_id: null,
    updated_at: '2026-11-01T00:00:00.000Z',
  };
}

describe('BulkRescheduleDialog', () => {
  let http: HttpTestingController;
  let close: ReturnType<typeof vi.fn>;
  let root: HTMLElement;
  let render: () => Promise<void>;

  beforeEach(async () => {
    close = vi.fn();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideNativeDateAdapter(),
        { provide: MAT_DIALOG_DATA, useValue: { opportunities: [opportunity('a', 2), opportunity('b', 9)] } },
        { provide: MatDialogRef, useValue: { close } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(BulkRescheduleDialog);
    root = fixture.nativeElement as HTMLElement;
    render = async () => {
      await new Promise((resolve) => setTimeout(resolve));
      await fixture.whenStable();
    };
    await render();
  });

  afterEach(() => http.verify());

  function typeReason(value: string): void {
    const reason = root.querySelector<HTMLTextAreaElement>('[data-testid="bulk-reason"]')!;
    reason.value = value;
    reason.dispatchEvent(new Event('input'));
  }

  function submit(): void {
    root.querySelector<HTMLButtonElement>('[data-testid="bulk-submit"]')!.click();
  }

  it('names the deals it moves', () => {
    expect(root.textContent).toContain('Reschedule 2 actions');
    expect(root.textContent).toContain('Deal a');
    expect(root.textContent).toContain('Deal b');
  });

  it('sends nothing without a reason', async () => {
    root.querySelector<HTMLButtonElement>('.picks button')!.click();
    submit();
    await render();

    http.expectNone(URL);
    expect(root.textContent).toContain('Say why they move');
  });

  it('moves every item, each with its own version, to the picked date for the one reason', async () => {
    root.querySelector<HTMLButtonElement>('.picks button')!.click();
    typeReason('  Customer on holiday  ');
    submit();

    const request = http.expectOne(URL);
    expect(request.request.body).toEqual({
      items: [
        { id: 'a', expected_version: 2 },
        { id: 'b', expected_version: 9 },
      ],
      shared: { new_next_action_at: expect.any(String), reason: 'Customer on holiday' },
    });
    expect(new Date(request.request.body.shared.new_next_action_at).getTime()).toBeGreaterThan(Date.now());
    request.flush({
      succeeded: 2,
      failed: 0,
      results: [
        { id: 'a', status: 200, opportunity: opportunity('a', 3) },
        { id: 'b', status: 200, opportunity: opportunity('b', 10) },
      ],
    } satisfies BulkResultDto);

    await vi.waitFor(() =>
      expect(close).toHaveBeenCalledWith(expect.objectContaining({ kind: 'reschedule', failed: [] })),
    );
  });

  it('stays open with the reason when the whole request is refused', async () => {
    root.querySelector<HTMLButtonElement>('.picks button')!.click();
    typeReason('Freeze');
    submit();
    http.expectOne(URL).flush(
      {
        detail: 'invalid',
        error_code: 'VALIDATION_ERROR',
        errors: [{ field: 'shared.new_next_action_at', message: 'new_next_action_at must be in the future' }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await render();

    expect(root.querySelector('[data-testid="dialog-error"]')?.textContent).toContain(
      'must be in the future',
    );
    expect(close).not.toHaveBeenCalled();
  });
});
