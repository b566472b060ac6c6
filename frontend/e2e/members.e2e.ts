import { describe, expect, it } from 'vitest';
import { normalized, openApp, openDueList, openUserMenu, useBrowser, waitUntilOpen } from './support/app';
import { createTenant, unique } from './support/api';
import { randomUUID } from 'node:crypto';

describe('Managing members', () => {
  const browser = useBrowser();

  it('lets an admin add a member whose invitation link signs them in, on the due list', async () => {
    const tenant = await createTenant();
    const name = `Nova Newcomer ${unique()}`;
    const email = `nova-${randomUUID()}@e2e.test`;
    const page = await openApp(browser(), { tenant });
    await openDueList(page);

    await openUserMenu(page);
    await page.getByRole('menuitem', { name: 'Members' }).click();
    await page.getByTestId('member-row').first().waitFor();
    expect(normalized(await page.getByTestId('members-table').textContent())).toContain(tenant.admin.email);

    await page.getByRole('button', { name: 'Add member' }).click();
    const dialog = await waitUntilOpen(page.getByRole('dialog', { name: 'Add a member' }));
    await dialog.getByRole('textbox', { name: 'Email' }).fill(email);
    await dialog.getByRole('textbox', { name: 'Name' }).fill(name);
    await dialog.getByRole('button', { name: 'Add member' }).click();

    const link = page.getByTestId('invitation-link');
    await link.waitFor();
    const invitation = await link.inputValue();
    expect(invitation).toMatch(/\/invitation\?token=.+/);
    await page.getByRole('button', { name: 'Done' }).click();
    const row = page.getByTestId('member-row').filter({ hasText: email });
    await expect.poll(async () => normalized(await row.textContent())).toContain('Invited');

    // The newcomer opens the link in a browser of their own.
    const newcomer = await openApp(browser(), { tenant, as: null });
    await newcomer.goto(invitation);
    await newcomer.getByRole('heading', { name: 'Join your team' }).waitFor();
    await newcomer.getByLabel('Password', { exact: true }).fill('newcomer-password');
    await newcomer.getByLabel('Repeat the password').fill('newcomer-password');
    await newcomer.getByRole('button', { name: 'Set password and sign in' }).click();
    await newcomer.waitForURL((url) => url.pathname === '/');
    await newcomer.getByTestId('due-summary').waitFor();
    await openUserMenu(newcomer);
    expect(normalized(await newcomer.getByTestId('user-name').textContent())).toBe(name);

    // The link worked once: opened again, it says so.
    const again = await openApp(browser(), { tenant, as: null });
    await again.goto(invitation);
    await again.getByLabel('Password', { exact: true }).fill('another-password');
    await again.getByLabel('Repeat the password').fill('another-password');
    await again.getByRole('button', { name: 'Set password and sign in' }).click();
    await again.getByTestId('invitation-invalid').waitFor();

    await page.reload();
    await expect.poll(async () => normalized(await row.textContent())).toContain('Active');

    // The audit log tells who did it.
    await page.getByRole('link', { name: 'Audit log' }).click();
    const events = page.getByTestId('audit-event');
    await events.first().waitFor();
    await expect
      .poll(async () => (await events.allTextContents()).map(normalized).join('\n'))
      .toContain(`${tenant.admin.name} added ${name} as rep (invited)`);
  });

  it('refuses to remove the last admin, and says why', async () => {
    const tenant = await createTenant();
    const page = await openApp(browser(), { tenant });
    await page.goto('/members');
    const row = page.getByTestId('member-row').filter({ hasText: tenant.admin.email });
    await row.getByRole('button', { name: 'Leave the team' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Leave team' }).click();
    const error = page.getByTestId('members-error');
    await error.waitFor();
    expect(normalized(await error.textContent())).toContain('A team needs at least one admin');
    expect(await page.getByTestId('member-row').count()).toBe(1);
  });
});
