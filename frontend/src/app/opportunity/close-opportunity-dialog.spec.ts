import type { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { Mock } from 'vitest';
import { anOpportunity, openDialog, typeInto } from '../testing/dialog-harness';
import type { Outcome } from '../api/models';
import { TenantStore } from '../core/tenant.store';
import { CloseOpportunityDialog } from './close-opportunity-dialog';
import { aTenant } from '../testing/fixtures';

const opportunity = anOpportunity({
  stage: 'Negotiation',
  next_action_details: 'Send the contract',
  is_overdue: false,
  version: 7,
});
const url = `/api/v1/opportunities/${opportunity.id}/close`;

describe('CloseOpportunityDialog', () => {
  let backend: HttpTestingController;
  let close: Mock;
  let root: HTMLElement;

  async function open(outcome: Outcome): Promise<void> {
    ({ root, backend, close } = await openDialog(CloseOpportunityDialog, { opportunity, outcome }, () => {
      const tenants = TestBed.inject(TenantStore);
      tenants.tenants.set([aTenant()]);
      tenants.selectedId.set('demo');
    }));
  }

  afterEach(() => backend.verify());

  function submitButton(): HTMLButtonElement {
    return root.querySelector<HTMLButtonElement>('[data-testid="submit-close"]')!;
  }

  it('names the deal and the outcome before anything is sent', async () => {
    await open('lost');
    expect(root.querySelector('[data-testid="close-deal"]')?.textContent).toContain('Acme Corp Deal');
    expect(root.querySelector('[data-testid="close-consequence"]')?.textContent).toMatch(
      /leaves the pipeline as\s*lost, and its next action is dropped/,
    );
    expect(root.textContent).toContain('$50,000');
    expect(submitButton().textContent?.trim()).toBe('Close as lost');
    backend.expectNone(url);
  });

  it('sends the outcome, the trimmed reason and the version it was opened with', async () => {
    await open('won');
    typeInto(root, 'close-reason', '  Signed the three-year plan ');
    submitButton().click();
    const request = backend.expectOne(url);
    expect(request.request.body).toEqual({
      outcome: 'won',
      reason: 'Signed the three-year plan',
      expected_version: 7,
    });
    const closed = { ...opportunity, status: 'won', stage: 'Closed Won', version: 8 };
    request.flush(closed);
    await vi.waitFor(() => expect(close).toHaveBeenCalledWith(closed));
  });

  it('leaves the reason out when none is given', async () => {
    await open('lost');
    typeInto(root, 'close-reason', '   ');
    submitButton().click();
    const request = backend.expectOne(url);
    expect(request.request.body).toEqual({ outcome: 'lost', expected_version: 7 });
    request.flush({ ...opportunity, status: 'lost', stage: 'Closed Lost' });
    await vi.waitFor(() => expect(close).toHaveBeenCalled());
  });

  it('refuses a reason longer than 500 characters', async () => {
    await open('lost');
    typeInto(root, 'close-reason', 'x'.repeat(501));
    submitButton().click();
    backend.expectNone(url);
    expect(close).not.toHaveBeenCalled();
  });

  it('reloads after a 409 and, when a colleague closed the deal meanwhile, offers nothing more to submit', async () => {
    await open('won');
    submitButton().click();
    backend
      .expectOne(url)
      .flush({ detail: 'changed', error_code: 'VERSION_CONFLICT' }, { status: 409, statusText: 'Conflict' });
    const reload = await vi.waitFor(() => backend.expectOne(`/api/v1/opportunities/${opportunity.id}`));
    reload.flush({
      ...opportunity,
      status: 'lost',
      stage: 'Closed Lost',
      next_action_details: null,
      version: 8,
    });
    await vi.waitFor(() =>
      expect(root.querySelector('[data-testid="dialog-error"]')?.textContent).toContain(
        'This deal was closed as lost elsewhere',
      ),
    );
    expect(submitButton().disabled).toBe(true);
    expect(close).not.toHaveBeenCalled();
  });

  it('reloads on a 409 and sends the new version when the deal is still open', async () => {
    await open('won');
    submitButton().click();
    backend
      .expectOne(url)
      .flush({ detail: 'changed', error_code: 'VERSION_CONFLICT' }, { status: 409, statusText: 'Conflict' });
    const reload = await vi.waitFor(() => backend.expectOne(`/api/v1/opportunities/${opportunity.id}`));
    reload.flush({ ...opportunity, version: 9 });
    await vi.waitFor(() =>
      expect(root.querySelector('[data-testid="dialog-error"]')?.textContent).toMatch(/changed elsewhere/),
    );
    submitButton().click();
    const retry = await vi.waitFor(() => backend.expectOne(url));
    expect(retry.request.body.expected_version).toBe(9);
    retry.flush({ ...opportunity, status: 'won', stage: 'Closed Won' });
    await vi.waitFor(() => expect(close).toHaveBeenCalled());
  });
});
