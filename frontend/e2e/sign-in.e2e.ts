import { describe, expect, it } from 'vitest';
import {
  actionCard,
  normalized,
  openApp,
  openCompleteDialog,
  openDueList,
  openUserMenu,
  signInThroughPage,
  snackBarText,
  useBrowser,
} from './support/app';
import { addMember, createOpportunity, createTenant, getOpportunity, unique } from './support/api';
import { minutesFromNow } from './support/time';

describe('Signing in and out', () => {
  const browser = useBrowser();

  it('signs a rep in through the sign-in page, back to the page asked for, where they complete an action', async () => {
    const tenant = await createTenant();
    const rep = await addMember(tenant, 'rep', `Riley Rep ${unique()}`);
    const name = `Harbor Freight ${unique()}`;
    const deal = await createOpportunity(tenant, { name, dueAt: minutesFromNow(-30), owner: rep });
    const page = await openApp(browser(), { tenant, as: null });

    await page.goto('/upcoming');
    await page.waitForURL('**/sign-in?returnUrl=%2Fupcoming');
    await signInThroughPage(page, rep);
    expect(new URL(page.url()).pathname).toBe('/upcoming');

    await page.getByRole('link', { name: 'Due today', exact: true }).click();
    await page.getByTestId('due-summary').waitFor();
    const dialog = await openCompleteDialog(page, name);
    await dialog.getByRole('button', { name: 'Tomorrow 9:00' }).click();
    await dialog.getByRole('textbox', { name: 'Next action' }).fill('Send the pilot contract');
    await dialog.getByRole('button', { name: 'Complete and plan next' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await expect.poll(() => snackBarText(page)).toContain(`Done. Next action for “${name}” is due`);
    expect(await actionCard(page, name).count()).toBe(0);
    expect((await getOpportunity(tenant, deal.id)).next_action_details).toBe('Send the pilot contract');
  });

  it('says when the password is wrong, and stays on the sign-in page', async () => {
    const tenant = await createTenant();
    const page = await openApp(browser(), { tenant, as: null });
    await page.goto('/sign-in');
    await page.getByRole('textbox', { name: 'Email' }).fill(tenant.admin.email);
    await page.getByRole('textbox', { name: 'Password' }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();

    const alert = page.getByTestId('sign-in-error');
    await alert.waitFor();
    expect(normalized(await alert.textContent())).toContain('Email or password is incorrect.');
    expect(await page.getByRole('textbox', { name: 'Password' }).inputValue()).toBe('');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });

  it('keeps the user signed in across a reload', async () => {
    const tenant = await createTenant();
    const name = `Copper Works ${unique()}`;
    await createOpportunity(tenant, { name, dueAt: minutesFromNow(-15) });
    const page = await openApp(browser(), { tenant });
    await openDueList(page);
    await actionCard(page, name).waitFor();

    await page.reload();
    await actionCard(page, name).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await openUserMenu(page);
    expect(normalized(await page.getByTestId('user-name').textContent())).toBe(tenant.admin.name);
    expect(normalized(await page.getByTestId('user-email').textContent())).toBe(tenant.admin.email);
  });

  it('signs out to the sign-in page, and a reload stays signed out', async () => {
    const tenant = await createTenant();
    const page = await openApp(browser(), { tenant });
    await openDueList(page);

    await openUserMenu(page);
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');

    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.goto('/opportunities');
    await page.waitForURL('**/sign-in?returnUrl=%2Fopportunities');
    expect(await page.getByTestId('action-card').count()).toBe(0);
  });
});
