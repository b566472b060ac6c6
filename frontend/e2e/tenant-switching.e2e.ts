import { describe, expect, it } from 'vitest';
import { actionCard, normalized, openApp, openDueList, useBrowser } from './support/app';
import { addExistingUser, createOpportunity, createTenant, unique } from './support/api';
import { minutesFromNow } from './support/time';

describe('Switching teams', () => {
  const browser = useBrowser();

  it("shows only the chosen team's deals, and keeps the choice after a reload", async () => {
    const suffix = unique();
    const alpha = await createTenant({ name: `Alpha Team ${suffix}` });
    const bravo = await createTenant({
      name: `Bravo Team ${suffix}`,
      timezone: alpha.timezone,
      currency: 'EUR',
    });
    // Alpha's admin is a rep in Bravo too, with a deal of their own there.
    await addExistingUser(bravo, alpha.admin, 'rep');
    const alphaDeal = `Alpha deal ${suffix}`;
    const bravoDeal = `Bravo deal ${suffix}`;
    await createOpportunity(alpha, { name: alphaDeal, dueAt: minutesFromNow(-45), value: 1000 });
    await createOpportunity(bravo, {
      name: bravoDeal,
      dueAt: minutesFromNow(-45),
      value: 2000,
      owner: alpha.admin,
    });
    const page = await openApp(browser(), { tenant: alpha });
    await openDueList(page);
    await actionCard(page, alphaDeal).waitFor();
    const teamSelect = page.getByTestId('tenant-select');
    expect(normalized(await teamSelect.textContent())).toBe(alpha.name);

    await teamSelect.click();
    // Only the user's own teams are offered.
    const offered = (await page.getByRole('option').allTextContents()).map(normalized);
    expect(offered.sort()).toEqual([alpha.name, bravo.name].sort());
    await page.getByRole('option', { name: bravo.name }).click();
    await page.getByRole('listbox').waitFor({ state: 'detached' });

    await actionCard(page, bravoDeal).waitFor();
    expect(await page.getByTestId('action-card').count()).toBe(1);
    expect(normalized(await actionCard(page, bravoDeal).textContent())).toContain('€2,000');
    expect(normalized(await teamSelect.textContent())).toBe(bravo.name);

    await page.reload();
    await actionCard(page, bravoDeal).waitFor();
    expect(await actionCard(page, alphaDeal).count()).toBe(0);
    expect(normalized(await teamSelect.textContent())).toBe(bravo.name);
  });
});
