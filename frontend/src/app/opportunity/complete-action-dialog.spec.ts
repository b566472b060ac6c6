import type { HttpTestingController } from '@angular/common/http/testing';
import type { Mock } from 'vitest';
import { anOpportunity, clickTestId, openDialog, typeInto } from '../testing/dialog-harness';
import { addDays } from '../core/time';
import { CompleteActionDialog } from './complete-action-dialog';

const opportunity = anOpportunity();
const url = `/api/v1/opportunities/${opportunity.id}/complete_action`;

describe('CompleteActionDialog', () => {
  let backend: HttpTestingController;
  let close: Mock;
  let root: HTMLElement;

  beforeEach(async () => {
    ({ root, backend, close } = await openDialog(CompleteActionDialog, { opportunity }));
  });

  afterEach(() => backend.verify());

  function submit(): void {
    clickTestId(root, 'submit-complete');
  }

  function pickTomorrow(): void {
    root.querySelector<HTMLButtonElement>('.pick')!.click();
  }

  it('sends the next action with the version it was opened with, and closes with the result', async () => {
    pickTomorrow();
    typeInto(root, 'next-details', '  Send the contract  ');
    typeInto(root, 'notes', 'Went well');
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
    typeInto(root, 'next-date', yesterday.toLocaleDateString());
    typeInto(root, 'next-details', 'Call back');
    submit();
    backend.expectNone(url);
    await vi.waitFor(() => expect(root.textContent).toMatch(/must be in the future|in the past/));
  });

  it('reloads the deal after a 409 and lets the rep submit again with the new version', async () => {
    pickTomorrow();
    typeInto(root, 'next-details', 'Send the contract');
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
