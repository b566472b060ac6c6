import type { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { Mock } from 'vitest';
import { anOpportunity, clickTestId, openDialog, typeInto } from '../testing/dialog-harness';
import { PipelineChanges } from '../core/pipeline-changes';
import { addDays } from '../core/time';
import { RescheduleDialog } from './reschedule-dialog';

const opportunity = anOpportunity({ reschedule_count: 2 });
const url = `/api/v1/opportunities/${opportunity.id}/reschedule`;

describe('RescheduleDialog', () => {
  let backend: HttpTestingController;
  let close: Mock;
  let root: HTMLElement;

  beforeEach(async () => {
    ({ root, backend, close } = await openDialog(RescheduleDialog, { opportunity }));
  });

  afterEach(() => backend.verify());

  function submit(): void {
    clickTestId(root, 'submit-reschedule');
  }

  function pickTomorrow(): void {
    root.querySelector<HTMLButtonElement>('.pick')!.click();
  }

  it('offers the quick picks and shows how often the action was pushed already', () => {
    const picks = [...root.querySelectorAll('.pick')].map((pick) => pick.textContent?.trim());
    expect(picks).toEqual(['Tomorrow 9:00', 'In 3 days', 'Next Monday 9:00']);
    expect(root.querySelector('[data-testid="already-pushed"]')?.textContent).toContain('pushed 2 times');
    expect(root.querySelector('[data-testid="next-details"]')).toBeNull();
  });

  it('sends the new date and the trimmed reason with the version it was opened with', async () => {
    const notify = vi.spyOn(TestBed.inject(PipelineChanges), 'notify');
    pickTomorrow();
    typeInto(root, 'reschedule-reason', '  Customer travelling  ');
    submit();
    const request = backend.expectOne(url);
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({
      new_next_action_at: expect.any(String),
      reason: 'Customer travelling',
      expected_version: 3,
    });
    const at = new Date(request.request.body.new_next_action_at);
    expect(at.getTime()).toBeGreaterThan(Date.now());
    expect([at.getHours(), at.getMinutes()]).toEqual([9, 0]);
    const moved = { ...opportunity, next_action_at: at.toISOString(), reschedule_count: 3, version: 4 };
    request.flush(moved);
    await vi.waitFor(() => expect(close).toHaveBeenCalledWith(moved));
    expect(notify).toHaveBeenCalled();
  });

  it('requires a reason', async () => {
    pickTomorrow();
    typeInto(root, 'reschedule-reason', '   ');
    submit();
    backend.expectNone(url);
    await vi.waitFor(() => expect(root.textContent).toContain('Say why the action moves'));
  });

  it('refuses a time in the past', async () => {
    typeInto(root, 'next-date', addDays(new Date(), -1).toLocaleDateString());
    typeInto(root, 'reschedule-reason', 'Customer travelling');
    submit();
    backend.expectNone(url);
    await vi.waitFor(() => expect(root.textContent).toMatch(/must be in the future|in the past/));
  });

  it("shows the API's message when it refuses the change", async () => {
    pickTomorrow();
    typeInto(root, 'reschedule-reason', 'Customer travelling');
    submit();
    backend.expectOne(url).flush(
      {
        detail: 'The request is invalid',
        error_code: 'VALIDATION_ERROR',
        errors: [{ field: 'new_next_action_at', message: 'new_next_action_at must be in the future' }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await vi.waitFor(() =>
      expect(root.querySelector('[data-testid="dialog-error"]')?.textContent).toContain(
        'new_next_action_at must be in the future',
      ),
    );
    expect(close).not.toHaveBeenCalled();
  });

  it('reloads the deal after a 409 and sends the new version on the next try', async () => {
    pickTomorrow();
    typeInto(root, 'reschedule-reason', 'Customer travelling');
    submit();
    backend
      .expectOne(url)
      .flush({ detail: 'changed', error_code: 'VERSION_CONFLICT' }, { status: 409, statusText: 'Conflict' });
    const reload = await vi.waitFor(() => backend.expectOne(`/api/v1/opportunities/${opportunity.id}`));
    reload.flush({ ...opportunity, version: 5, next_action_details: 'Call the new buyer' });
    await vi.waitFor(() => expect(root.textContent).toContain('Call the new buyer'));
    expect(root.querySelector('[data-testid="dialog-error"]')?.textContent).toMatch(/changed elsewhere/);
    submit();
    const retry = await vi.waitFor(() => backend.expectOne(url));
    expect(retry.request.body.expected_version).toBe(5);
    retry.flush(opportunity);
    await vi.waitFor(() => expect(close).toHaveBeenCalled());
  });
});
