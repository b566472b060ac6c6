import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Stage } from '../src/app/api/models';
import {
  actionCard,
  normalized,
  openApp,
  openDueList,
  section,
  snackBarText,
  useBrowser,
  waitUntilOpen,
} from './support/app';
import { createTenant, unique } from './support/api';
import { dateField, minutesFromNow, shortDateTime, timeField } from './support/time';

interface TypedDeal {
  name: string;
  value: string;
  stage: Stage;
  at: Date;
  details: string;
}

/** Fills and submits the "New opportunity" dialog as a user would, typing the date and time. */
async function createThroughDialog(page: Page, timeZone: string, deal: TypedDeal): Promise<void> {
  await page.getByRole('button', { name: 'New opportunity' }).click();
  const dialog = await waitUntilOpen(page.getByRole('dialog', { name: 'New opportunity' }));
  await dialog.getByRole('textbox', { name: 'Name' }).fill(deal.name);
  await dialog.getByRole('spinbutton', { name: 'Value' }).fill(deal.value);
  await dialog.getByRole('combobox', { name: 'Stage' }).click();
  await page.getByRole('option', { name: deal.stage }).click();
  await page.getByRole('listbox').waitFor({ state: 'detached' });
  await dialog.getByRole('textbox', { name: 'Date' }).fill(dateField(deal.at, timeZone));
  await dialog.getByLabel('Time', { exact: true }).fill(timeField(deal.at, timeZone));
  await dialog.getByRole('textbox', { name: 'First next action' }).fill(deal.details);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await dialog.waitFor({ state: 'hidden' });
}

describe('Creating an opportunity with the New button', () => {
  const browser = useBrowser();

  it('lists a deal whose first action was due earlier today under Overdue', async () => {
    const tenant = await createTenant();
    const page = await openApp(browser(), { tenant });
    await openDueList(page);
    const deal: TypedDeal = {
      name: `Contoso Fleet ${unique()}`,
      value: '12500',
      stage: 'Negotiation',
      at: minutesFromNow(-60),
      details: 'Confirm the delivery schedule',
    };

    await createThroughDialog(page, tenant.timezone, deal);

    await expect
      .poll(() => snackBarText(page))
      .toContain(
        `Created “${deal.name}”. First action due ${normalized(shortDateTime(deal.at, tenant.timezone))}.`,
      );
    const card = actionCard(section(page, 'Overdue'), deal.name);
    await card.waitFor();
    const text = normalized(await card.textContent());
    expect(text).toContain('$12,500');
    expect(text).toContain('Negotiation');
    expect(text).toContain('Confirm the delivery schedule');
    expect(await section(page, 'Due today').count()).toBe(0);
  });

  it('lists a deal whose first action is due later today under Due today', async () => {
    const tenant = await createTenant();
    const page = await openApp(browser(), { tenant });
    await openDueList(page);
    const deal: TypedDeal = {
      name: `Fabrikam Retail ${unique()}`,
      value: '4000.50',
      stage: 'Prospecting',
      at: minutesFromNow(90),
      details: 'Demo the reporting module',
    };

    await createThroughDialog(page, tenant.timezone, deal);

    await expect
      .poll(() => snackBarText(page))
      .toContain(
        `Created “${deal.name}”. First action due ${normalized(shortDateTime(deal.at, tenant.timezone))}.`,
      );
    const card = actionCard(section(page, 'Due today'), deal.name);
    await card.waitFor();
    expect(normalized(await card.textContent())).toContain('$4,000.50');
    expect(await section(page, 'Overdue').count()).toBe(0);
  });
});
