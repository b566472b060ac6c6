import { describe, expect, it } from 'vitest';
import { normalized, openApp, openDueList, readSummary, useBrowser } from './support/app';
import { createOpportunity, createTenant, unique } from './support/api';
import { daysFromNow } from './support/time';

describe('A team with nothing due', () => {
  const browser = useBrowser();

  it('celebrates with "All done! 🎉" and names the next planned action', async () => {
    const tenant = await createTenant();
    const name = `Northwind Cold Chain ${unique()}`;
    const nextWeek = await createOpportunity(tenant, {
      name,
      dueAt: daysFromNow(7),
      details: 'Present the rollout plan',
    });
    const page = await openApp(browser(), { tenant });
    await openDueList(page);

    const emptyState = page.getByTestId('empty-state');
    await emptyState.getByRole('heading', { name: 'All done! 🎉' }).waitFor();
    expect(normalized(await emptyState.textContent())).toContain(
      `Next up: ${name} — Present the rollout plan, due in 7 days`,
    );
    expect(await emptyState.getByRole('link', { name }).getAttribute('href')).toBe(
      `/opportunities/${nextWeek.id}`,
    );
    expect(await page.getByTestId('action-card').count()).toBe(0);
    expect(await readSummary(page)).toEqual({
      'At stake': '$0',
      Overdue: '0',
      'Due today': '0',
      Pipeline: '$10,000',
      Rescheduled: '0',
    });
  });
});
