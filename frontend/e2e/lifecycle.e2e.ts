import { describe, expect, it } from 'vitest';
import {
  actionCard,
  chooseFromCardMenu,
  normalized,
  openApp,
  openDueList,
  openOpportunityPage,
  readSummary,
  section,
  snackBarText,
  timelineEntries,
  useBrowser,
  waitUntilOpen,
} from './support/app';
import {
  createOpportunity,
  createTenant,
  getOpportunity,
  nextActionAt,
  rescheduleAction,
  unique,
} from './support/api';
import {
  dateField,
  daysFromNow,
  localDateTime,
  minutesFromNow,
  shortDateTime,
  timeField,
} from './support/time';

describe('Rescheduling, editing, closing and reopening a deal', () => {
  const browser = useBrowser();

  it("moves a rescheduled action off today's list, says its new date and keeps the reason in the timeline", async () => {
    const tenant = await createTenant();
    const name = `Bluebird Logistics ${unique()}`;
    const opportunity = await createOpportunity(tenant, { name, dueAt: minutesFromNow(-60), value: 30_000 });
    await createOpportunity(tenant, {
      name: `Cobalt Freight ${unique()}`,
      dueAt: minutesFromNow(-30),
      value: 20_000,
    });
    const page = await openApp(browser(), { tenant });
    await openDueList(page);

    await chooseFromCardMenu(page, name, 'Reschedule');
    const dialog = await waitUntilOpen(page.getByRole('dialog', { name: 'Reschedule the next action' }));
    await dialog.getByRole('button', { name: 'Tomorrow 9:00' }).click();
    await dialog
      .getByRole('textbox', { name: 'Why move it?' })
      .fill('The buyer is travelling until tomorrow');
    await dialog.getByRole('button', { name: 'Reschedule', exact: true }).click();

    await dialog.waitFor({ state: 'hidden' });
    const saved = await getOpportunity(tenant, opportunity.id);
    const movedTo = nextActionAt(saved);
    expect(localDateTime(movedTo, tenant.timezone)).toBe(
      `${localDateTime(daysFromNow(1), tenant.timezone).slice(0, 10)} 09:00`,
    );
    expect(saved).toMatchObject({
      reschedule_count: 1,
      next_action_details: opportunity.next_action_details,
    });
    await expect
      .poll(() => snackBarText(page))
      .toContain(`Moved “${name}” to ${normalized(shortDateTime(movedTo, tenant.timezone))}.`);
    await expect.poll(() => actionCard(page, name).count()).toBe(0);
    await expect
      .poll(() => readSummary(page))
      .toEqual({
        'At stake': '$20,000',
        Overdue: '1',
        'Due today': '0',
        Pipeline: '$50,000',
        Rescheduled: '1',
      });

    await openOpportunityPage(page, opportunity.id);
    const rescheduled = timelineEntries(page, 'rescheduled');
    await rescheduled.waitFor();
    expect(await rescheduled.count()).toBe(1);
    expect(normalized(await rescheduled.getByTestId('timeline-title').textContent())).toMatch(
      /^Rescheduled from .+ to .+ — The buyer is travelling until tomorrow$/,
    );
  });

  it('shows "Pushed 2×" on a card once its action was pushed a second time, here to later today', async () => {
    const tenant = await createTenant();
    const name = `Globex Renewal ${unique()}`;
    const created = await createOpportunity(tenant, { name, dueAt: minutesFromNow(-60) });
    await rescheduleAction(tenant, created.id, {
      new_next_action_at: minutesFromNow(30).toISOString(),
      reason: 'Their legal team is in a meeting',
      expected_version: created.version,
    });
    const page = await openApp(browser(), { tenant });
    await openDueList(page);
    const card = actionCard(section(page, 'Due today'), name);
    await card.waitFor();
    // Once is no pattern yet: the badge points out actions that keep being pushed.
    expect(await card.getByTestId('pushed-badge').count()).toBe(0);

    await chooseFromCardMenu(page, name, 'Reschedule');
    const dialog = await waitUntilOpen(page.getByRole('dialog', { name: 'Reschedule the next action' }));
    expect(normalized(await dialog.getByTestId('already-pushed').textContent())).toBe('Already pushed once');
    const later = minutesFromNow(120);
    await dialog.getByRole('textbox', { name: 'Date' }).fill(dateField(later, tenant.timezone));
    await dialog.getByLabel('Time', { exact: true }).fill(timeField(later, tenant.timezone));
    await dialog.getByRole('textbox', { name: 'Why move it?' }).fill('Waiting for the signed NDA');
    await dialog.getByRole('button', { name: 'Reschedule', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    const badge = actionCard(section(page, 'Due today'), name).getByTestId('pushed-badge');
    await badge.waitFor();
    expect(normalized(await badge.textContent())).toContain('Pushed 2×');
    expect(normalized(await actionCard(page, name).getByTestId('due-relative').textContent())).toMatch(
      /due in 2 hours$/,
    );
    expect((await getOpportunity(tenant, created.id)).reschedule_count).toBe(2);
    expect((await readSummary(page))['Rescheduled']).toBe('1');
  });

  it('closes a deal as won from its card: it leaves the list, the counts drop, and its page reopens it', async () => {
    const tenant = await createTenant();
    const name = `Initech Seat Expansion ${unique()}`;
    const opportunity = await createOpportunity(tenant, { name, dueAt: minutesFromNow(-90), value: 30_000 });
    await createOpportunity(tenant, {
      name: `Umbrella Health ${unique()}`,
      dueAt: minutesFromNow(-30),
      value: 20_000,
    });
    const page = await openApp(browser(), { tenant });
    await openDueList(page);
    expect(await readSummary(page)).toEqual({
      'At stake': '$50,000',
      Overdue: '2',
      'Due today': '0',
      Pipeline: '$50,000',
      Rescheduled: '0',
    });

    await chooseFromCardMenu(page, name, 'Close won');
    const dialog = await waitUntilOpen(page.getByRole('dialog', { name: `Close “${name}” as won?` }));
    expect(normalized(await dialog.getByTestId('close-consequence').textContent())).toBe(
      'The deal leaves the pipeline as won, and its next action is dropped. You can reopen it later from its page.',
    );
    await dialog.getByRole('textbox', { name: 'Why was it won? (optional)' }).fill('Signed the annual plan');
    await dialog.getByRole('button', { name: 'Close as won' }).click();

    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => snackBarText(page)).toContain(`Closed “${name}” as won.`);
    await expect.poll(() => actionCard(page, name).count()).toBe(0);
    await expect
      .poll(() => readSummary(page))
      .toEqual({
        'At stake': '$20,000',
        Overdue: '1',
        'Due today': '0',
        Pipeline: '$20,000',
        Rescheduled: '0',
      });

    await openOpportunityPage(page, opportunity.id);
    expect(normalized(await page.getByTestId('outcome-title').textContent())).toBe('Closed won');
    expect(normalized(await page.getByTestId('outcome-reason').textContent())).toContain(
      'Signed the annual plan',
    );
    expect(normalized(await page.getByTestId('opportunity-status').textContent())).toBe('Won');
    expect(
      normalized(await timelineEntries(page, 'closed').getByTestId('timeline-title').textContent()),
    ).toBe('Closed won — Signed the annual plan');

    await page.getByRole('button', { name: 'Reopen' }).click();
    const reopen = await waitUntilOpen(page.getByRole('dialog', { name: 'Reopen deal' }));
    const stage = reopen.getByRole('combobox', { name: 'Back in stage' });
    // The stage it was closed from is the suggestion.
    expect(normalized(await stage.textContent())).toBe('Qualification');
    await stage.click();
    await page.getByRole('option', { name: 'Negotiation' }).click();
    await page.getByRole('listbox').waitFor({ state: 'detached' });
    await reopen.getByRole('button', { name: 'Tomorrow 9:00' }).click();
    await reopen.getByRole('textbox', { name: 'Next action' }).fill('Kick-off call with customer success');
    await reopen.getByRole('button', { name: 'Reopen', exact: true }).click();

    await reopen.waitFor({ state: 'hidden' });
    const reopened = await getOpportunity(tenant, opportunity.id);
    expect(reopened).toMatchObject({ status: 'open', stage: 'Negotiation', closed_at: null });
    await expect
      .poll(() => snackBarText(page))
      .toContain(
        `Reopened “${name}” in Negotiation. Next action due ` +
          `${normalized(shortDateTime(nextActionAt(reopened), tenant.timezone))}.`,
      );
    await expect
      .poll(async () => normalized(await page.getByTestId('next-action-details').textContent()))
      .toBe('Kick-off call with customer success');
    expect(normalized(await page.getByTestId('opportunity-status').textContent())).toBe('Open');
    expect(await page.getByTestId('reopen-deal').count()).toBe(0);
    await timelineEntries(page, 'reopened').waitFor();

    // Back in the pipeline: All opportunities (open ones, by default) lists it again.
    await page.getByRole('link', { name: 'All opportunities' }).click();
    const row = page.getByTestId('pipeline-row').filter({ hasText: name });
    await row.waitFor();
    expect(normalized(await row.getByTestId('status-chip').textContent())).toContain('Open');
  });

  it("changes a deal's stage from its card and records the change in its timeline", async () => {
    const tenant = await createTenant();
    const name = `Fabrikam Retail ${unique()}`;
    const opportunity = await createOpportunity(tenant, {
      name,
      dueAt: minutesFromNow(-45),
      stage: 'Qualification',
    });
    const page = await openApp(browser(), { tenant });
    await openDueList(page);
    const card = actionCard(page, name);
    expect(normalized(await card.textContent())).toContain('Qualification');

    await chooseFromCardMenu(page, name, 'Edit');
    const dialog = await waitUntilOpen(page.getByRole('dialog', { name: 'Edit deal' }));
    await dialog.getByRole('combobox', { name: 'Stage' }).click();
    await page.getByRole('option', { name: 'Proposal' }).click();
    await page.getByRole('listbox').waitFor({ state: 'detached' });
    await dialog.getByRole('button', { name: 'Save' }).click();

    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => snackBarText(page)).toContain(`Saved “${name}”.`);
    await expect.poll(async () => normalized(await card.textContent())).toContain('Proposal');
    expect(normalized(await card.textContent())).not.toContain('Qualification');
    expect(await getOpportunity(tenant, opportunity.id)).toMatchObject({
      stage: 'Proposal',
      version: opportunity.version + 1,
    });

    await card.getByRole('link', { name }).click();
    await page.getByTestId('opportunity-name').waitFor();
    expect(normalized(await page.getByTestId('opportunity-stage').textContent())).toBe('Proposal');
    const stageChanged = timelineEntries(page, 'stage_changed');
    await stageChanged.waitFor();
    expect(normalized(await stageChanged.textContent())).toContain(
      'Stage changed from Qualification to Proposal',
    );
  });
});
