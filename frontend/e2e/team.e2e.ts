import { describe, expect, it } from 'vitest';
import {
  actionCard,
  chooseFromCardMenu,
  normalized,
  openApp,
  openDueList,
  openUserMenu,
  snackBarText,
  useBrowser,
  waitUntilOpen,
} from './support/app';
import { addMember, createOpportunity, createTenant, getOpportunity, unique } from './support/api';
import { minutesFromNow } from './support/time';

describe('Mine and Team', () => {
  const browser = useBrowser();

  it('shows a rep only their own deals, with no Team toggle and no Members page', async () => {
    const tenant = await createTenant();
    const rep = await addMember(tenant, 'rep');
    const own = `Own deal ${unique()}`;
    const others = `Admin's deal ${unique()}`;
    await createOpportunity(tenant, { name: own, dueAt: minutesFromNow(-30), owner: rep });
    await createOpportunity(tenant, { name: others, dueAt: minutesFromNow(-20) });
    const page = await openApp(browser(), { tenant, as: rep });

    await openDueList(page);
    await actionCard(page, own).waitFor();
    expect(await actionCard(page, others).count()).toBe(0);
    expect(await page.getByTestId('scope-toggle').count()).toBe(0);
    expect(await page.getByTestId('card-owner').count()).toBe(0);

    await openUserMenu(page);
    expect(await page.getByRole('menuitem', { name: 'Change password' }).count()).toBe(1);
    expect(await page.getByRole('menuitem', { name: 'Members' }).count()).toBe(0);
    await page.keyboard.press('Escape');

    await page.goto('/members');
    await page.waitForURL((url) => url.pathname === '/');
    await page.goto('/opportunities');
    await page.getByTestId('pipeline-row').filter({ hasText: own }).waitFor();
    expect(await page.getByTestId('scope-toggle').count()).toBe(0);
    expect(await page.getByTestId('pipeline-row').count()).toBe(1);
  });

  it("lets a manager see a teammate's deal with its owner in the team view, and reassign it", async () => {
    const tenant = await createTenant();
    const manager = await addMember(tenant, 'manager', `Morgan Manager ${unique()}`);
    const rep = await addMember(tenant, 'rep', `Riley Rep ${unique()}`);
    const name = `Teammate's deal ${unique()}`;
    const deal = await createOpportunity(tenant, { name, dueAt: minutesFromNow(-45), owner: rep });
    const repPage = await openApp(browser(), { tenant, as: rep });
    await openDueList(repPage);
    await actionCard(repPage, name).waitFor();

    const page = await openApp(browser(), { tenant, as: manager });
    await openDueList(page);
    expect(await actionCard(page, name).count()).toBe(0);
    await page.getByRole('radio', { name: 'Team' }).click();
    const card = actionCard(page, name);
    await card.waitFor();
    await expect
      .poll(async () => normalized(await card.getByTestId('card-owner').textContent()))
      .toContain(rep.name);

    await chooseFromCardMenu(page, name, 'Reassign');
    const dialog = await waitUntilOpen(page.getByRole('dialog', { name: 'Reassign deal' }));
    expect(normalized(await dialog.getByTestId('reassign-current-owner').textContent())).toBe(
      `Owner: ${rep.name}`,
    );
    await dialog.getByRole('combobox', { name: 'New owner' }).click();
    await page.getByRole('option', { name: new RegExp(`^${manager.name} \\(you\\)`) }).click();
    await dialog.getByRole('button', { name: 'Reassign' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await expect.poll(() => snackBarText(page)).toContain(`Reassigned “${name}” to ${manager.name}.`);
    await expect
      .poll(async () => normalized(await card.getByTestId('card-owner').textContent()))
      .toContain(manager.name);
    expect((await getOpportunity(tenant, deal.id)).owner_id).toBe(manager.id);

    // The team view is kept while moving around; "Mine" now has the deal too.
    await page.getByRole('link', { name: 'All opportunities' }).click();
    await page.getByTestId('pipeline-owner').filter({ hasText: manager.name }).first().waitFor();
    await page.getByRole('radio', { name: 'Mine' }).click();
    await page.getByTestId('pipeline-row').filter({ hasText: name }).waitFor();

    // The rep no longer has it, once their list reloads.
    await repPage.reload();
    await repPage.getByTestId('due-summary').waitFor();
    await expect.poll(() => actionCard(repPage, name).count()).toBe(0);
  });
});
