import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import type { OpportunityDto } from '../api/models';
import { changedFields, EditOpportunityDialog } from './edit-opportunity-dialog';

const opportunity: OpportunityDto = {
  id: '123e4567-e89b-12d3-a456-426614174000',
  name: 'Acme Corp Deal',
  value: 50000,
  stage: 'Proposal',
  next_action_at: '2026-11-25T10:00:00.000Z',
  next_action_details: 'Send the contract',
  is_overdue: false,
  status: 'open',
  reschedule_count: 0,
  closed_at: null,
  version: 3,
  created_at: '2026-11-01T00:00:00.000Z',
  updated_at: '2026-11-01T00:00:00.000Z',
};
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
  let close: ReturnType<typeof vi.fn>;
  let root: HTMLElement;

  beforeEach(async () => {
    close = vi.fn();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MAT_DIALOG_DATA, useValue: { opportunity } },
        { provide: MatDialogRef, useValue: { close } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(EditOpportunityDialog);
    await fixture.whenStable();
    root = fixture.nativeElement as HTMLElement;
  });

  afterEach(() => backend.verify());

  function field(testId: string): HTMLInputElement {
    return root.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`)!;
  }

  function type(testId: string, value: string): void {
    field(testId).value = value;
    field(testId).dispatchEvent(new Event('input'));
  }

  function submit(): void {
    root.querySelector<HTMLButtonElement>('[data-testid="submit-edit"]')!.click();
  }

  it('opens with the deal as it is', () => {
    expect(field('edit-name').value).toBe('Acme Corp Deal');
    expect(field('edit-value').value).toBe('50000');
    expect(root.querySelector('[data-testid="edit-stage"]')?.textContent).toContain('Proposal');
  });

  it('sends only the changed fields with the version it was opened with', async () => {
    type('edit-value', '65000.5');
    submit();
    const request = backend.expectOne(url);
    expect(request.request.method).toBe('PATCH');
    expect(request.request.body).toEqual({ value: 65000.5, expected_version: 3 });
    const saved = { ...opportunity, value: 65000.5, version: 4 };
    request.flush(saved);
    await vi.waitFor(() => expect(close).toHaveBeenCalledWith(saved));
  });

  it('closes without a request when nothing changed', () => {
    type('edit-name', '  Acme Corp Deal ');
    submit();
    backend.expectNone(url);
    expect(close).toHaveBeenCalledWith();
  });

  it('refuses a blank name and a value with more than two decimals', async () => {
    type('edit-name', '   ');
    submit();
    backend.expectNone(url);
    await vi.waitFor(() => expect(root.textContent).toContain('Give the deal a name'));
    type('edit-name', 'Acme');
    type('edit-value', '10.123');
    submit();
    backend.expectNone(url);
    await vi.waitFor(() => expect(root.textContent).toContain('at most two decimals'));
  });

  it('after a 409 keeps the edits, takes what a colleague saved into the other fields, and says so', async () => {
    type('edit-name', 'Acme Corp (3 sites)');
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
