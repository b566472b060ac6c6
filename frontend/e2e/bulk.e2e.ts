import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { OpportunityDto } from '../src/app/api/models';
import { normalized, openApp, openDueList, readSummary, useBrowser, waitUntilOpen } from './support/app';
import {
  createOpportunity,
  createTenant,
  getOpportunity,
  type Tenant,
  unique,
  updateOpportunity,
} from './support/api';
import { minutesFromNow } from './support/time';

/** Overdue deals of a new team, due in the order given (the order the due list shows them). */
async function overdueDeals(tenant: Tenant, names: string[]): Promise<OpportunityDto[]> {
  const deals: OpportunityDto[] = [];
  for (const [index, name] of names.entries()) {
    deals.push(
      await createOpportunity(tenant, { name, dueAt: minutesFromNow(-60 * (names.length - index)) }),
    );
  }
  return deals;
}

/** The deals on the due list, in the order shown. */
async function cardNames(page: Page): Promise<string[]> {
  return page
    .getByTestId('action-card')
    .evaluateAll((cards) => cards.map((card) => card.getAttribute('aria-label') ?? ''));
}

function checkbox(page: Page, name: string): Locator {
  return page.getByRole('checkbox', { name: `Select ${name}` });
}

async function selectedCount(page: Page): Promise<string> {
  return normalized(await page.getByTestId('bulk-count').textContent());
}

/** Fills "Complete all with…" with one next action for every deal, tomorrow at 9:00, and submits it. */
async function completeAllWith(dialog: Locator, nextAction: string): Promise<void> {
  await dialog.getByRole('button', { name: 'Tomorrow 9:00' }).click();
  await dialog.getByRole('textbox', { name: 'Next action' }).fill(nextAction);
  await dialog.getByTestId('bulk-submit').click();
  await dialog.waitFor({ state: 'hidden' });
}

describe('Bulk mode on the due list', () => {
  const browser = useBrowser();

  it('completes three cards picked with a click and a shift-click, with one shared next action', async () => {
    const tenant = await createTenant();
    const suffix = unique();
    const names = ['Northwind Traders', 'Contoso Pharma', 'Adventure Works', 'Wide World Importers'].map(
      (name) => `${name} ${suffix}`,
    );
    const deals = await overdueDeals(tenant, names);
    const [first, , third, last] = names;
    const page = await openApp(browser(), { tenant });
    await openDueList(page);
    expect(await cardNames(page)).toEqual(names);

    await page.getByTestId('bulk-toggle').click();
    await checkbox(page, first).click();
    await checkbox(page, third).click({ modifiers: ['Shift'] });
    await expect.poll(() => selectedCount(page)).toBe('3 selected');
    expect(await checkbox(page, names[1]).isChecked()).toBe(true);
    expect(await checkbox(page, last).isChecked()).toBe(false);

    await page.getByTestId('bulk-complete').click();
    const dialog = await waitUntilOpen(page.getByRole('dialog', { name: 'Complete 3 actions' }));
    const targets = dialog.getByRole('region', { name: 'Selected deals' }).getByRole('listitem');
    expect((await targets.allTextContents()).map(normalized)).toEqual(names.slice(0, 3));
    await dialog
      .getByRole('textbox', { name: 'What happened? (optional, saved on each)' })
      .fill('Called all three buyers');
    await completeAllWith(dialog, 'Send the Q3 price list');

    const result = page.getByTestId('bulk-result');
    await result.waitFor();
    expect(normalized(await result.getByTestId('bulk-result-summary').textContent())).toBe(
      '3 actions completed.',
    );
    expect(await result.getByTestId('bulk-failure').count()).toBe(0);
    await expect.poll(() => cardNames(page)).toEqual([last]);
    await expect.poll(async () => (await readSummary(page))['Overdue']).toBe('1');
    for (const deal of deals.slice(0, 3)) {
      expect(await getOpportunity(tenant, deal.id)).toMatchObject({
        next_action_details: 'Send the Q3 price list',
        version: deal.version + 1,
      });
    }
  });

  it('names the one deal changed elsewhere meanwhile and keeps it picked, while the others complete', async () => {
    const tenant = await createTenant();
    const suffix = unique();
    const names = ['Tailspin Toys', 'Fourth Coffee', 'Litware Labs'].map((name) => `${name} ${suffix}`);
    const deals = await overdueDeals(tenant, names);
    const changed = deals[1];
    const page = await openApp(browser(), { tenant });
    await openDueList(page);

    await page.getByTestId('bulk-toggle').click();
    await page.getByTestId('bulk-select-all').click();
    await expect.poll(() => selectedCount(page)).toBe('3 selected');
    await page.getByTestId('bulk-complete').click();
    const dialog = await waitUntilOpen(page.getByRole('dialog', { name: 'Complete 3 actions' }));
    // A colleague edits one of them while the dialog is open: the version this page saw is stale now.
    await updateOpportunity(tenant, changed.id, { value: 45_000, expected_version: changed.version });
    await completeAllWith(dialog, 'Send the onboarding checklist');

    const result = page.getByTestId('bulk-result');
    await result.waitFor();
    expect(normalized(await result.getByTestId('bulk-result-summary').textContent())).toBe(
      '2 of 3 completed. 1 could not be completed:',
    );
    const failures = await result.getByTestId('bulk-failure').allTextContents();
    expect(failures.map(normalized)).toEqual([
      `${changed.name}: This deal was changed elsewhere in the meantime.`,
    ]);
    expect(normalized(await result.textContent())).toContain(
      'They stay selected: check them, then try again.',
    );
    await expect.poll(() => cardNames(page)).toEqual([changed.name]);
    expect(await checkbox(page, changed.name).isChecked()).toBe(true);
    expect(await selectedCount(page)).toBe('1 selected');
    // Nothing of the failed item was applied: only the colleague's edit.
    expect(await getOpportunity(tenant, changed.id)).toMatchObject({
      version: changed.version + 1,
      value: 45_000,
      next_action_details: changed.next_action_details,
    });
  });
});
