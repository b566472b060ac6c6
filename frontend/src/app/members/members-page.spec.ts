import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { AuthStore } from '../core/auth.store';
import { TenantStore } from '../core/tenant.store';
import { aMember, aTenant, aUser } from '../testing/fixtures';
import { MembersPage } from './members-page';

const MEMBERS = '/api/v1/memberships';
const ADA = '00000000-0000-4000-8000-00000000000a';
const BEN = '00000000-0000-4000-8000-00000000000b';
const CLEO = '00000000-0000-4000-8000-00000000000c';
const members = [
  aMember({ user_id: ADA, name: 'Ada Admin', email: 'ada@example.com', role: 'admin' }),
  aMember({ user_id: BEN, name: 'Ben Manager', email: 'ben@example.com', role: 'manager' }),
  aMember({ user_id: CLEO, name: 'Cleo New', email: 'cleo@example.com', status: 'invited' }),
];

describe('MembersPage', () => {
  let http: HttpTestingController;
  let root: HTMLElement;
  let render: () => Promise<void>;

  async function open(role: 'admin' | 'manager' = 'admin'): Promise<void> {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    const tenants = TestBed.inject(TenantStore);
    tenants.tenants.set([aTenant({ role })]);
    tenants.selectedId.set('demo');
    TestBed.inject(AuthStore).user.set(aUser({ id: ADA, name: 'Ada Admin', email: 'ada@example.com' }));
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(MembersPage);
    root = fixture.nativeElement as HTMLElement;
    render = async () => {
      await new Promise((resolve) => setTimeout(resolve));
      await fixture.whenStable();
    };
    await render();
  }

  async function openWithMembers(): Promise<void> {
    await open();
    http.expectOne(MEMBERS).flush(members);
    await render();
  }

  afterEach(() => {
    http.verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((element) => element.remove());
  });

  /** Each row as its cells read: "Ada Admin (you) | ada@example.com | Admin | Active". */
  function rows(): string[] {
    return [...root.querySelectorAll('[data-testid="member-row"]')].map((row) =>
      [...row.querySelectorAll('td')]
        .map((cell) => cell.textContent?.replace(/\s+/g, ' ').trim() ?? '')
        .filter((text) => text && !/^(logout|person_remove)$/.test(text))
        .join(' | '),
    );
  }

  function row(name: string): HTMLElement {
    return [...root.querySelectorAll<HTMLElement>('[data-testid="member-row"]')].find((candidate) =>
      candidate.textContent?.includes(name),
    )!;
  }

  async function chooseRole(name: string, label: string): Promise<void> {
    row(name)
      .querySelector<HTMLElement>('[data-testid="member-role-select"] .mat-mdc-select-trigger')!
      .click();
    const option = await vi.waitFor(() => {
      const found = [...document.querySelectorAll<HTMLElement>('mat-option')].find(
        (candidate) => candidate.textContent?.trim() === label,
      );
      if (!found) throw new Error(`${label} is not offered`);
      return found;
    });
    option.click();
  }

  /** Goes ahead in the confirmation dialog, once it is rendered (its button says what it does). */
  async function confirm(): Promise<void> {
    const button = await vi.waitFor(() => {
      const found = document.querySelector<HTMLButtonElement>('nat-confirm-dialog [data-testid="confirm"]');
      if (!found?.textContent?.trim()) throw new Error('no confirmation asked');
      return found;
    });
    button.click();
  }

  function errorText(): string {
    return root.querySelector('[data-testid="members-error"] span')?.textContent?.trim() ?? '';
  }

  it('lists the members with their email, role and whether they joined yet', async () => {
    await openWithMembers();
    expect(rows()).toEqual([
      'Ada Admin (you) | ada@example.com | Admin | Active',
      'Ben Manager | ben@example.com | Manager | Active',
      'Cleo New | cleo@example.com | Rep | Invited',
    ]);
    expect(root.querySelector('[data-testid="members-count"]')?.textContent).toMatch(
      /3 members · 1 admin\s+· 1 invited/,
    );
    expect(
      row('Ben Manager').querySelector('[data-testid="remove-member"]')?.getAttribute('aria-label'),
    ).toBe('Remove Ben Manager');
  });

  it("changes a member's role", async () => {
    await openWithMembers();
    await chooseRole('Ben Manager', 'Admin');
    const request = http.expectOne(`${MEMBERS}/${BEN}`);
    expect(request.request.method).toBe('PATCH');
    expect(request.request.body).toEqual({ role: 'admin' });
    request.flush({ ...members[1], role: 'admin' });
    await vi.waitFor(async () => {
      await render();
      expect(root.querySelector('[data-testid="members-count"]')?.textContent).toContain('2 admins');
    });
  });

  it('explains LAST_ADMIN and shows the role as it still is', async () => {
    await openWithMembers();
    await chooseRole('Ada Admin', 'Manager');
    await confirm(); // giving up one's own admin role is asked first
    const request = await vi.waitFor(() => http.expectOne(`${MEMBERS}/${ADA}`));
    request.flush(
      { detail: 'The last admin cannot leave', error_code: 'LAST_ADMIN' },
      { status: 409, statusText: 'Conflict' },
    );
    await vi.waitFor(async () => {
      await render();
      expect(errorText()).toBe(
        'Ada Admin is the last admin. A team needs at least one admin. Make another member admin first.',
      );
    });
    expect(row('Ada Admin').querySelector('[data-testid="member-role-select"]')?.textContent).toContain(
      'Admin',
    );
  });

  it('removes a member after asking, and the row goes', async () => {
    await openWithMembers();
    row('Ben Manager').querySelector<HTMLButtonElement>('[data-testid="remove-member"]')!.click();
    await vi.waitFor(() =>
      expect(document.querySelector('nat-confirm-dialog')?.textContent).toContain('Remove Ben Manager?'),
    );
    await confirm();
    const request = await vi.waitFor(() => http.expectOne(`${MEMBERS}/${BEN}`));
    expect(request.request.method).toBe('DELETE');
    request.flush(null, { status: 204, statusText: 'No Content' });
    await vi.waitFor(async () => {
      await render();
      expect(rows()).toHaveLength(2);
    });
    expect(rows().join()).not.toContain('Ben Manager');
  });

  it('sends nothing when the removal is cancelled', async () => {
    await openWithMembers();
    row('Cleo New').querySelector<HTMLButtonElement>('[data-testid="remove-member"]')!.click();
    const cancel = await vi.waitFor(() => {
      const found = [...document.querySelectorAll<HTMLButtonElement>('nat-confirm-dialog button')].find(
        (button) => button.textContent?.trim() === 'Cancel',
      );
      if (!found) throw new Error('no confirmation asked');
      return found;
    });
    cancel.click();
    await render();
    http.expectNone(`${MEMBERS}/${CLEO}`);
    expect(rows()).toHaveLength(3);
  });

  it('tells a manager that only admins manage members, and loads nothing', async () => {
    await open('manager');
    http.expectNone(MEMBERS);
    expect(root.querySelector('[data-testid="members-not-admin"]')?.textContent).toContain(
      'Only admins manage members',
    );
    expect(root.querySelector('[data-testid="add-member"]')).toBeNull();
  });
});
