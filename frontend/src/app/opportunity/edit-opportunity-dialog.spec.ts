import type { HttpTestingController } from '@angular/common/http/testing';
import type { Mock } from 'vitest';
import { anOpportunity, clickTestId, openDialog, typeInto } from '../testing/dialog-harness';
import { changedFields, EditOpportunityDialog } from './edit-opportunity-dialog';

const opportunity = anOpportunity({ next_action_details: 'Send the contract', is_overdue: false });
const url = `/api/v1/opportunities/${opportunity.id}`;

describe('changedFields', () => {
  it('keeps only what differs, trimming the name', () => {
    expect(changedFields(opportunity, { name: ' Acme Corp Deal ', value: 50000, stage: 'Proposal' })).toEqual(
      {},
    );
    expect(changedFields(opportunity, { name: 'Acme (3 sites)', value: 65000, stage: 'Proposal' })).toEqual({
      name: 'Acme (3 sites)',
      value: 65000,
    });
    expect(
      changedFields(opportunity, { name: 'Acme Corp Deal', value: 50000, stage: 'Negotiation' }),
    ).toEqual({
      stage: 'Negotiation',
    });
  });
});

describe('EditOpportunityDialog', () => {
  let backend: HttpTestingController;
  let close: Mock;
  let root: HTMLElement;

  beforeEach(async () => {
    ({ root, backend, close } = await openDialog(EditOpportunityDialog, { opportunity }));
  });

  afterEach(() => backend.verify());

  function field(testId: string): HTMLInputElement {
    return root.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`)!;
  }

  function submit(): void {
    clickTestId(root, 'submit-edit');
  }

  it('opens with the deal as it is', () => {
    expect(field('edit-name').value).toBe('Acme Corp Deal');
    expect(field('edit-value').value).toBe('50000');
    expect(root.querySelector('[data-testid="edit-stage"]')?.textContent).toContain('Proposal');
  });

  it('sends only the changed fields with the version it was opened with', async () => {
    typeInto(root, 'edit-value', '65000.5');
    submit();
    const request = backend.expectOne(url);
    expect(request.request.method).toBe('PATCH');
    expect(request.request.body).toEqual({ value: 65000.5, expected_version: 3 });
    const saved = { ...opportunity, value: 65000.5, version: 4 };
    request.flush(saved);
    await vi.waitFor(() => expect(close).toHaveBeenCalledWith(saved));
  });

  it('closes without a request when nothing changed', () => {
    typeInto(root, 'edit-name', '  Acme Corp Deal ');
    submit();
    backend.expectNone(url);
    expect(close).toHaveBeenCalledWith();
  });

  it('refuses a blank name and a value with more than two decimals', async () => {
    typeInto(root, 'edit-name', '   ');
    submit();
    backend.expectNone(url);
    await vi.waitFor(() => expect(root.textContent).toContain('Give the deal a name'));
    typeInto(root, 'edit-name', 'Acme');
    typeInto(root, 'edit-value', '10.123');
    submit();
    backend.expectNone(url);
    await vi.waitFor(() => expect(root.textContent).toContain('at most two decimals'));
  });

  it('after a 409 keeps the edits, takes what a colleague saved into the other fields, and says so', async () => {
    typeInto(root, 'edit-name', 'Acme Corp (3 sites)');
    submit();
    backend
      .expectOne(url)
      .flush({ detail: 'changed', error_code: 'VERSION_CONFLICT' }, { status: 409, statusText: 'Conflict' });
    const reload = await vi.waitFor(() => backend.expectOne(url));
    reload.flush({ ...opportunity, name: 'Acme Corp', value: 70000, version: 4 });
    await vi.waitFor(() =>
      expect(root.querySelector('[data-testid="hint-value"]')?.textContent).toContain(
        'Updated from elsewhere',
      ),
    );
    expect(field('edit-value').value).toBe('70000');
    expect(field('edit-name').value).toBe('Acme Corp (3 sites)');
    expect(root.querySelector('[data-testid="hint-name"]')?.textContent).toContain('Saved now: Acme Corp');
    expect(root.querySelector('[data-testid="hint-stage"]')).toBeNull();
    expect(root.querySelector('[data-testid="dialog-error"]')?.textContent).toMatch(/changed elsewhere/);

    submit();
    const retry = await vi.waitFor(() => backend.expectOne(url));
    expect(retry.request.body).toEqual({ name: 'Acme Corp (3 sites)', expected_version: 4 });
    retry.flush({ ...opportunity, name: 'Acme Corp (3 sites)', value: 70000, version: 5 });
    await vi.waitFor(() => expect(close).toHaveBeenCalled());
  });
});
