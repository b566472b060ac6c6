import type { HttpTestingController } from '@angular/common/http/testing';
import type { Mock } from 'vitest';
import { openDialog, typeInto, clickTestId } from '../testing/dialog-harness';
import type { OpenStage, OpportunityDto } from '../api/models';
import { addDays } from '../core/time';
import { ReopenOpportunityDialog } from './reopen-opportunity-dialog';

const closed: OpportunityDto = {
  id: '123e4567-e89b-12d3-a456-426614174000',
  name: 'Acme Corp Deal',
  value: 50000,
  stage: 'Closed Lost',
  next_action_at: null,
  next_action_details: null,
  is_overdue: false,
  status: 'lost',
  reschedule_count: 0,
  closed_at: '2026-11-20T15:00:00.000Z',
  version: 6,
  created_at: '2026-11-01T00:00:00.000Z',
  owner_id: null,
  updated_at: '2026-11-20T15:00:00.000Z',
};
const url = `/api/v1/opportunities/${closed.id}/reopen`;

describe('ReopenOpportunityDialog', () => {
  let backend: HttpTestingController;
  let close: Mock;
  let root: HTMLElement;

  async function open(stage?: OpenStage): Promise<void> {
    ({ root, backend, close } = await openDialog(ReopenOpportunityDialog, { opportunity: closed, stage }));
  }

  afterEach(() => backend.verify());

  function submit(): void {
    clickTestId(root, 'submit-reopen');
  }

  it('says how the deal was closed and suggests the stage it was closed from', async () => {
    await open('Negotiation');
    expect(root.querySelector('[data-testid="reopen-closed"]')?.textContent).toMatch(/^Closed lost on /);
    expect(root.querySelector('[data-testid="reopen-stage"]')?.textContent).toContain('Negotiation');
  });

  it('sends the stage, the first next action and the version it was opened with', async () => {
    await open();
    root.querySelector<HTMLButtonElement>('.pick')!.click();
    typeInto(root, 'next-details', ' Call the new buyer ');
    submit();
    const request = backend.expectOne(url);
    expect(request.request.body).toEqual({
      stage: 'Qualification',
      next_action_at: expect.any(String),
      next_action_details: 'Call the new buyer',
      expected_version: 6,
    });
    expect(new Date(request.request.body.next_action_at).getTime()).toBeGreaterThan(Date.now());
    const reopened = { ...closed, status: 'open', stage: 'Qualification', version: 7 };
    request.flush(reopened);
    await vi.waitFor(() => expect(close).toHaveBeenCalledWith(reopened));
  });

  it('requires a next action in the future', async () => {
    await open();
    typeInto(root, 'next-date', addDays(new Date(), -2).toLocaleDateString());
    submit();
    backend.expectNone(url);
    await vi.waitFor(() => expect(root.textContent).toMatch(/must be in the future|in the past/));
    expect(root.textContent).toContain('Describe the next action');
  });

  it('after a 409 finding the deal reopened elsewhere, offers nothing more to submit', async () => {
    await open();
    root.querySelector<HTMLButtonElement>('.pick')!.click();
    typeInto(root, 'next-details', 'Call the new buyer');
    submit();
    backend
      .expectOne(url)
      .flush(
        { detail: 'The opportunity is open', error_code: 'OPPORTUNITY_NOT_CLOSED' },
        { status: 409, statusText: 'Conflict' },
      );
    const reload = await vi.waitFor(() => backend.expectOne(`/api/v1/opportunities/${closed.id}`));
    reload.flush({
      ...closed,
      status: 'open',
      stage: 'Proposal',
      next_action_at: '2026-12-01T09:00:00.000Z',
      next_action_details: 'Demo',
      version: 7,
    });
    await vi.waitFor(() =>
      expect(root.querySelector('[data-testid="dialog-error"]')?.textContent).toContain('reopened elsewhere'),
    );
    expect(root.querySelector<HTMLButtonElement>('[data-testid="submit-reopen"]')!.disabled).toBe(true);
  });
});
