import { describe, expect, it } from 'vitest';
import {
  actionCard,
  countRequests,
  normalized,
  openApp,
  openCompleteDialog,
  openDueList,
  readSummary,
  snackBarText,
  useBrowser,
} from './support/app';
import {
  completeAction,
  createOpportunity,
  createTenant,
  getOpportunity,
  nextActionAt,
  unique,
} from './support/api';
import {
  daysFromNow,
  dateField,
  localDateTime,
  minutesFromNow,
  shortDateTime,
  timeField,
} from './support/time';

describe('Completing an action from the due list', () => {
  const browser = useBrowser();

  it('removes the card, says when the next action is due and updates the header counts', async () => {
    const tenant = await createTenant();
    const name = `Bluebird Logistics ${unique()}`;
    const opportunity = await createOpportunity(tenant, { name, dueAt: minutesFromNow(-120), value: 30_000 });
    await createOpportunity(tenant, {
      name: `Older deal ${unique()}`,
      dueAt: daysFromNow(-1),
      value: 20_000,
    });
    await createOpportunity(tenant, {
      name: `Later deal ${unique()}`,
      dueAt: minutesFromNow(60),
      value: 10_000,
    });
    const page = await openApp(browser(), { tenant });
    await openDueList(page);
    expect(await readSummary(page)).toEqual({
      'At stake': '$60,000',
      Overdue: '2',
      'Due today': '1',
      Pipeline: '$60,000',
      Rescheduled: '0',
    });

    const dialog = await openCompleteDialog(page, name);
    await dialog.getByRole('button', { name: 'Tomorrow 9:00' }).click();
    await dialog
      .getByRole('textbox', { name: 'What happened? (optional)' })
      .fill('Agreed on the pilot scope');
    await dialog.getByRole('textbox', { name: 'Next action' }).fill('Send the signed order form');
    await dialog.getByRole('button', { name: 'Complete and plan next' }).click();

    await dialog.waitFor({ state: 'hidden' });
    const saved = await getOpportunity(tenant, opportunity.id);
    const nextAt = nextActionAt(saved);
    expect(localDateTime(nextAt, tenant.timezone)).toBe(
      `${localDateTime(daysFromNow(1), tenant.timezone).slice(0, 10)} 09:00`,
    );
    expect(saved.next_action_details).toBe('Send the signed order form');
    await expect
      .poll(() => snackBarText(page))
      .toContain(
        `Done. Next action for “${name}” is due ${normalized(shortDateTime(nextAt, tenant.timezone))}.`,
      );
    await expect
      .poll(() => readSummary(page))
      .toEqual({
        'At stake': '$30,000',
        Overdue: '1',
        'Due today': '1',
        Pipeline: '$60,000',
        Rescheduled: '0',
      });
    expect(await actionCard(page, name).count()).toBe(0);
    expect(await page.getByTestId('action-card').count()).toBe(2);
  });

  it('refuses a next action earlier today with a "must be in the future" message and sends nothing', async () => {
    const tenant = await createTenant();
    const name = `Quartz Mining ${unique()}`;
    const opportunity = await createOpportunity(tenant, { name, dueAt: minutesFromNow(-30) });
    const page = await openApp(browser(), { tenant });
    await openDueList(page);
    const completions = countRequests(page, 'POST', '/complete_action');

    const dialog = await openCompleteDialog(page, name);
    const anHourAgo = minutesFromNow(-60);
    await dialog.getByRole('textbox', { name: 'Date' }).fill(dateField(anHourAgo, tenant.timezone));
    const time = dialog.getByLabel('Time', { exact: true });
    await time.fill(timeField(anHourAgo, tenant.timezone));
    await dialog.getByRole('textbox', { name: 'Next action' }).fill('Send the revised quote');
    await dialog.getByRole('button', { name: 'Complete and plan next' }).click();

    const error = dialog.getByTestId('not-future-error');
    await error.waitFor();
    expect(normalized(await error.textContent())).toBe(
      'The next action must be in the future: pick a later date or time.',
    );
    expect(await dialog.isVisible()).toBe(true);
    // Moving the time past now clears the message: it follows the fields, not only the submit.
    await time.fill(timeField(minutesFromNow(60), tenant.timezone));
    await error.waitFor({ state: 'detached' });

    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(completions()).toBe(0);
    expect(await actionCard(page, name).count()).toBe(1);
    expect((await getOpportunity(tenant, opportunity.id)).version).toBe(opportunity.version);
  });

  it('reloads a deal that was changed elsewhere, then completes it on the second submit', async () => {
    const tenant = await createTenant();
    const name = `Harbor Freight Lines ${unique()}`;
    const opportunity = await createOpportunity(tenant, {
      name,
      dueAt: minutesFromNow(-90),
      details: 'Send the pricing sheet',
    });
    const page = await openApp(browser(), { tenant });
    await openDueList(page);
    const dialog = await openCompleteDialog(page, name);
    const current = dialog.getByRole('region', { name: 'The action you are completing' });
    expect(normalized(await current.textContent())).toContain('Send the pricing sheet');

    // A colleague completes the same action while this dialog is open.
    await completeAction(tenant, opportunity.id, {
      new_next_action_at: daysFromNow(2).toISOString(),
      new_next_action_details: 'Call the CFO, booked by a colleague',
      expected_version: opportunity.version,
    });
    await dialog.getByRole('button', { name: 'Tomorrow 9:00' }).click();
    await dialog.getByRole('textbox', { name: 'Next action' }).fill('Send the contract');
    await dialog.getByRole('button', { name: 'Complete and plan next' }).click();

    const banner = dialog.getByTestId('dialog-error');
    await banner.waitFor();
    expect(normalized(await banner.textContent())).toContain('This deal was changed elsewhere.');
    expect(normalized(await current.textContent())).toContain('Call the CFO, booked by a colleague');
    expect(normalized(await current.textContent())).not.toContain('Send the pricing sheet');

    await dialog.getByRole('button', { name: 'Complete and plan next' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => snackBarText(page)).toContain(`Done. Next action for “${name}” is due`);
    await expect.poll(() => actionCard(page, name).count()).toBe(0);
    const saved = await getOpportunity(tenant, opportunity.id);
    expect(saved).toMatchObject({
      version: opportunity.version + 2,
      next_action_details: 'Send the contract',
    });
  });
});
