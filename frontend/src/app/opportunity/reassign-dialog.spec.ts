import type { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { Mock } from 'vitest';
import { PipelineChanges } from '../core/pipeline-changes';
import { TenantStore } from '../core/tenant.store';
import { anOpportunity, clickTestId, openDialog } from '../testing/dialog-harness';
import { aMember, aTenant } from '../testing/fixtures';
import { ReassignDialog } from './reassign-dialog';

const DANA = '00000000-0000-4000-8000-00000000000d';
const LEE = '00000000-0000-4000-8000-00000000000e';
const opportunity = anOpportunity({ owner_id: DANA, version: 4 });
const url = `/api/v1/opportunities/${opportunity.id}`;
const members = [
  aMember({ user_id: DANA, name: 'Dana Rep', email: 'dana@example.com' }),
  aMember({ user_id: LEE, name: 'Lee Newman', email: 'lee@example.com', status: 'invited' }),
];

describe('ReassignDialog', () => {
  let backend: HttpTestingController;
  let close: Mock;
  let root: HTMLElement;

  beforeEach(async () => {
    ({ root, backend, close } = await openDialog(ReassignDialog, { opportunity }, () => {
      const tenants = TestBed.inject(TenantStore);
      tenants.tenants.set([aTenant({ role: 'manager' })]);
      tenants.selectedId.set('demo');
    }));
    backend.expectOne('/api/v1/memberships').flush(members);
    // The select has options to open once the members are rendered.
    await vi.waitFor(() =>
      expect(root.querySelector('[data-testid="reassign-current-owner"]')?.textContent).toContain('Dana Rep'),
    );
  });

  afterEach(() => {
    backend.verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((element) => element.remove());
  });

  /** Opens the select and picks the member called `name`. */
  async function pick(name: string): Promise<void> {
    root.querySelector<HTMLElement>('[data-testid="reassign-owner"]')!.click();
    const option = await vi.waitFor(() => {
      const found = [...document.querySelectorAll<HTMLElement>('mat-option')].find((candidate) =>
        candidate.textContent?.includes(name),
      );
      if (!found) throw new Error(`${name} is not offered`);
      return found;
    });
    option.click();
  }

  it("names the current owner and offers the team's members", async () => {
    root.querySelector<HTMLElement>('[data-testid="reassign-owner"]')!.click();
    const options = await vi.waitFor(() => {
      const found = [...document.querySelectorAll('mat-option')];
      expect(found).toHaveLength(2);
      return found.map((option) => option.textContent?.replace(/\s+/g, ' ').trim());
    });
    expect(options).toEqual(['Dana Rep · rep, current owner', 'Lee Newman · rep, invited']);
  });

  it('gives the deal to the member picked, with the version it was opened with', async () => {
    const notify = vi.spyOn(TestBed.inject(PipelineChanges), 'notify');
    await pick('Lee Newman');
    clickTestId(root, 'submit-reassign');
    const request = backend.expectOne(url);
    expect(request.request.method).toBe('PATCH');
    expect(request.request.body).toEqual({ owner_id: LEE, expected_version: 4 });
    const reassigned = { ...opportunity, owner_id: LEE, version: 5 };
    request.flush(reassigned);
    await vi.waitFor(() => expect(close).toHaveBeenCalledWith(reassigned));
    expect(notify).toHaveBeenCalled();
  });

  it('closes without a request when the owner stays the same', () => {
    clickTestId(root, 'submit-reassign');
    backend.expectNone(url);
    expect(close).toHaveBeenCalledWith();
  });

  it('reloads the deal after a 409 and sends the new version on the next try', async () => {
    await pick('Lee Newman');
    clickTestId(root, 'submit-reassign');
    backend
      .expectOne(url)
      .flush({ detail: 'changed', error_code: 'VERSION_CONFLICT' }, { status: 409, statusText: 'Conflict' });
    const reload = await vi.waitFor(() => backend.expectOne((request) => request.method === 'GET'));
    reload.flush({ ...opportunity, version: 6 });
    await vi.waitFor(() =>
      expect(root.querySelector('[data-testid="dialog-error"]')?.textContent).toMatch(/changed elsewhere/),
    );
    clickTestId(root, 'submit-reassign');
    const retry = await vi.waitFor(() => backend.expectOne(url));
    expect(retry.request.body).toEqual({ owner_id: LEE, expected_version: 6 });
    retry.flush({ ...opportunity, owner_id: LEE, version: 7 });
    await vi.waitFor(() => expect(close).toHaveBeenCalled());
  });

  it('says when the member picked has left the team, and loads the members again', async () => {
    await pick('Lee Newman');
    clickTestId(root, 'submit-reassign');
    backend.expectOne(url).flush(
      {
        detail: 'The request is invalid',
        error_code: 'VALIDATION_ERROR',
        errors: [{ field: 'owner_id', message: 'owner_id must be a member of the tenant' }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await vi.waitFor(() =>
      expect(root.querySelector('[data-testid="dialog-error"]')?.textContent).toContain(
        'That person is no longer a member of this team. Pick someone else.',
      ),
    );
    backend.expectOne('/api/v1/memberships').flush([members[0]]);
    expect(close).not.toHaveBeenCalled();
  });
});
