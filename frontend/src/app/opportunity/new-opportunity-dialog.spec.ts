import type { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { Role } from '../api/models';
import { AuthStore } from '../core/auth.store';
import { TenantStore } from '../core/tenant.store';
import { clickTestId, openDialog, typeInto } from '../testing/dialog-harness';
import { aMember, aTenant, aUser } from '../testing/fixtures';
import { NewOpportunityDialog } from './new-opportunity-dialog';

const ME = '00000000-0000-4000-8000-000000000001';
const LEE = '00000000-0000-4000-8000-00000000000e';
const members = [
  aMember({ user_id: ME, name: 'Dana Manager', role: 'manager' }),
  aMember({ user_id: LEE, name: 'Lee Rep', email: 'lee@example.com' }),
];

describe('NewOpportunityDialog', () => {
  let backend: HttpTestingController;
  let root: HTMLElement;

  async function open(role: Role): Promise<void> {
    ({ root, backend } = await openDialog(NewOpportunityDialog, undefined, () => {
      TestBed.inject(AuthStore).user.set(aUser({ id: ME }));
      const tenants = TestBed.inject(TenantStore);
      tenants.tenants.set([aTenant({ role })]);
      tenants.selectedId.set('demo');
    }));
  }

  afterEach(() => {
    backend.verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((element) => element.remove());
  });

  /** Fills the deal and its first action, as a user would, then sends the form. */
  function fillAndCreate(): void {
    typeInto(root, 'new-name', 'Globex expansion');
    typeInto(root, 'new-value', '12000');
    root.querySelector<HTMLButtonElement>('.pick')!.click();
    typeInto(root, 'next-details', 'Call the buyer');
    clickTestId(root, 'submit-new');
  }

  it('lets a rep create only their own deal: no owner to pick, none sent', async () => {
    await open('rep');
    backend.expectNone('/api/v1/memberships');
    expect(root.querySelector('[data-testid="new-owner"]')).toBeNull();
    fillAndCreate();
    const request = backend.expectOne('/api/v1/opportunities');
    expect(request.request.body).not.toHaveProperty('owner_id');
    request.flush({});
  });

  it('lets a manager hand the new deal to another member', async () => {
    await open('manager');
    backend.expectOne('/api/v1/memberships').flush(members);
    const select = await vi.waitFor(() => {
      const found = root.querySelector<HTMLElement>('[data-testid="new-owner"]');
      if (!found) throw new Error('no owner select yet');
      return found;
    });
    expect(select.textContent).toContain('Dana Manager (you)');
    select.click();
    const lee = await vi.waitFor(() => {
      const option = [...document.querySelectorAll<HTMLElement>('mat-option')].find((candidate) =>
        candidate.textContent?.includes('Lee Rep'),
      );
      if (!option) throw new Error('Lee Rep is not offered');
      return option;
    });
    lee.click();
    fillAndCreate();
    const request = backend.expectOne('/api/v1/opportunities');
    expect(request.request.body).toEqual(
      expect.objectContaining({ name: 'Globex expansion', owner_id: LEE }),
    );
    request.flush({});
  });

  it('sends no owner when a manager keeps the deal', async () => {
    await open('manager');
    backend.expectOne('/api/v1/memberships').flush(members);
    fillAndCreate();
    const request = backend.expectOne('/api/v1/opportunities');
    expect(request.request.body).not.toHaveProperty('owner_id');
    request.flush({});
  });
});
