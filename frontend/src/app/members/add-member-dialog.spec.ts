import { Clipboard } from '@angular/cdk/clipboard';
import type { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { Mock } from 'vitest';
import { TenantStore } from '../core/tenant.store';
import { TeamDirectory } from '../team/team-directory';
import { clickTestId, openDialog, typeInto } from '../testing/dialog-harness';
import { aMember, aTenant } from '../testing/fixtures';
import { AddMemberDialog, invitationLink } from './add-member-dialog';

const MEMBERS = '/api/v1/memberships';

describe('AddMemberDialog', () => {
  let backend: HttpTestingController;
  let close: Mock;
  let root: HTMLElement;
  let copy: Mock;

  beforeEach(async () => {
    copy = vi.fn(() => true);
    ({ root, backend, close } = await openDialog(AddMemberDialog, undefined, () => {
      TestBed.overrideProvider(Clipboard, { useValue: { copy } });
      const tenants = TestBed.inject(TenantStore);
      tenants.tenants.set([aTenant({ role: 'admin' })]);
      tenants.selectedId.set('demo');
    }));
  });

  afterEach(() => backend.verify());

  async function rendered(check: () => void): Promise<void> {
    await vi.waitFor(check);
  }

  it('invites someone new and shows their one-time link, once, to copy', async () => {
    typeInto(root, 'member-email', ' lee@example.com ');
    typeInto(root, 'member-name', 'Lee Newman');
    clickTestId(root, 'submit-add-member');
    const request = backend.expectOne(MEMBERS);
    expect(request.request.body).toEqual({ email: 'lee@example.com', role: 'rep', name: 'Lee Newman' });
    const membership = aMember({
      user_id: 'u-lee',
      name: 'Lee Newman',
      email: 'lee@example.com',
      status: 'invited',
    });
    request.flush(
      { membership, invitation: { token: 'one-time/token+1', expires_at: '2026-12-03T10:00:00.000Z' } },
      { status: 201, statusText: 'Created' },
    );

    await rendered(() =>
      expect(root.querySelector<HTMLInputElement>('[data-testid="invitation-link"]')?.value).toBe(
        `${window.location.origin}/invitation?token=one-time%2Ftoken%2B1`,
      ),
    );
    expect(root.textContent).toContain('It is shown only now');
    expect(TestBed.inject(TeamDirectory).members()).toEqual([membership]);
    expect(close).not.toHaveBeenCalled();

    clickTestId(root, 'copy-invitation-link');
    expect(copy).toHaveBeenCalledWith(`${window.location.origin}/invitation?token=one-time%2Ftoken%2B1`);
    await rendered(() => expect(root.textContent).toContain('Copied to the clipboard.'));

    clickTestId(root, 'invitation-done');
    expect(close).toHaveBeenCalledWith(membership);
  });

  it('adds someone who has an account at once, with the role picked', async () => {
    typeInto(root, 'member-email', 'ben@example.com');
    clickTestId(root, 'submit-add-member');
    const request = backend.expectOne(MEMBERS);
    expect(request.request.body).toEqual({ email: 'ben@example.com', role: 'rep' });
    const membership = aMember({ user_id: 'u-ben', name: 'Ben', email: 'ben@example.com' });
    request.flush({ membership }, { status: 201, statusText: 'Created' });
    await vi.waitFor(() => expect(close).toHaveBeenCalledWith(membership));
  });

  it('says on the email field when the person is a member already', async () => {
    typeInto(root, 'member-email', 'ben@example.com');
    clickTestId(root, 'submit-add-member');
    backend
      .expectOne(MEMBERS)
      .flush(
        { detail: 'Already a member', error_code: 'ALREADY_MEMBER' },
        { status: 409, statusText: 'Conflict' },
      );
    await rendered(() =>
      expect(root.querySelector('[data-testid="member-email-error"]')?.textContent).toContain(
        'ben@example.com is already a member of Demo Sales Team.',
      ),
    );
    expect(close).not.toHaveBeenCalled();
  });

  it('asks for the name of someone who has no account yet', async () => {
    typeInto(root, 'member-email', 'new@example.com');
    clickTestId(root, 'submit-add-member');
    backend.expectOne(MEMBERS).flush(
      {
        detail: 'The request is invalid',
        error_code: 'VALIDATION_ERROR',
        errors: [{ field: 'name', message: 'name is required for a new user' }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await rendered(() =>
      expect(root.querySelector('[data-testid="member-name-error"]')?.textContent).toContain(
        'Enter their name: they have no NAT account yet.',
      ),
    );
  });

  it('refuses an address that is not an email before sending', async () => {
    typeInto(root, 'member-email', 'not-an-email');
    clickTestId(root, 'submit-add-member');
    backend.expectNone(MEMBERS);
    await rendered(() => expect(root.textContent).toContain('Enter an email address like name@company.com'));
  });
});

describe('invitationLink', () => {
  it('points at the invitation page of this origin', () => {
    expect(invitationLink('abc', 'https://nat.example')).toBe('https://nat.example/invitation?token=abc');
  });
});
