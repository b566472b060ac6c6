import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { normalized, openApp, PHONE, useBrowser } from './support/app';
import { closeOpportunity, createOpportunity, createTenant, type Tenant, unique } from './support/api';
import { daysFromNow } from './support/time';

interface ShownRow {
  name: string;
  status: string;
}

/** Opens All opportunities (with a query, if given) and waits until the first answer is shown. */
async function openPipeline(page: Page, query = ''): Promise<void> {
  await page.goto(`/opportunities${query}`);
  await page.getByTestId('pipeline-count').waitFor();
}

/** The table's rows as a user reads them: the deal's name and its status chip, without the chip's icon. */
function shownRows(page: Page): Promise<ShownRow[]> {
  return page.getByTestId('pipeline-row').evaluateAll((rows) =>
    rows.map((row) => {
      const chip = row.querySelector('[data-testid="status-chip"]');
      const chipText = Array.from(chip?.childNodes ?? [])
        .filter((node) => node.nodeType === Node.TEXT_NODE)
        .map((node) => node.textContent ?? '')
        .join('');
      return { name: row.querySelector('a')?.textContent?.trim() ?? '', status: chipText.trim() };
    }),
  );
}

async function shownNames(page: Page): Promise<string[]> {
  return (await shownRows(page)).map((row) => row.name);
}

function searchParam(page: Page, name: string): string | null {
  return new URL(page.url()).searchParams.get(name);
}

/** The `q` of every list request the page makes from now on ('' for none). */
function recordSearches(page: Page): string[] {
  const searches: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (request.method() === 'GET' && url.pathname.endsWith('/api/v1/opportunities')) {
      searches.push(url.searchParams.get('q') ?? '');
    }
  });
  return searches;
}

async function pickStatus(page: Page, label: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Status' }).click();
  await page.getByRole('option', { name: label, exact: true }).click();
  await page.getByRole('listbox').waitFor({ state: 'detached' });
}

/** Three open deals, due one day after the other in this order; two of them are Contoso's. */
async function threeOpenDeals(tenant: Tenant, suffix: string): Promise<string[]> {
  const deals = [
    { name: `Contoso Fleet ${suffix}`, details: 'Confirm the delivery schedule' },
    { name: `Fabrikam Retail ${suffix}`, details: 'Send the pricing sheet' },
    { name: `Contoso Pharma ${suffix}`, details: 'Book the security review' },
  ];
  for (const [index, deal] of deals.entries()) {
    await createOpportunity(tenant, { ...deal, dueAt: daysFromNow(index + 1) });
  }
  return deals.map((deal) => deal.name);
}

describe('All opportunities', () => {
  const browser = useBrowser();

  it('narrows the table as the user types, and keeps the search in the address across a reload', async () => {
    const tenant = await createTenant();
    const [contosoFleet, , contosoPharma] = await threeOpenDeals(tenant, unique());
    const page = await openApp(browser(), { tenant });
    await openPipeline(page);
    expect((await shownNames(page)).length).toBe(3);
    expect(normalized(await page.getByTestId('pipeline-count').textContent())).toBe('3 opportunities');
    const searches = recordSearches(page);

    const word = 'contoso';
    await page.getByTestId('pipeline-search').pressSequentially(word, { delay: 40 });

    // Debounced: the list follows the search box after a pause in the typing, not at every key.
    await expect.poll(() => searchParam(page, 'q')).toBe(word);
    await expect.poll(() => searches.at(-1)).toBe(word);
    expect(searches.length).toBeLessThan(word.length);
    await expect.poll(() => shownNames(page)).toEqual([contosoFleet, contosoPharma]);
    expect(normalized(await page.getByTestId('pipeline-count').textContent())).toBe('2 opportunities');

    await page.reload();
    await page.getByTestId('pipeline-count').waitFor();
    expect(await page.getByTestId('pipeline-search').inputValue()).toBe(word);
    await expect.poll(() => shownNames(page)).toEqual([contosoFleet, contosoPharma]);
  });

  it('shows closed deals under the Won and All statuses, each with its status', async () => {
    const tenant = await createTenant();
    const suffix = unique();
    const open = `Initech Seats ${suffix}`;
    const won = `Globex Renewal ${suffix}`;
    const lost = `Vandelay Import ${suffix}`;
    await createOpportunity(tenant, { name: open, dueAt: daysFromNow(1) });
    for (const [name, outcome] of [
      [won, 'won'],
      [lost, 'lost'],
    ] as const) {
      const deal = await createOpportunity(tenant, { name, dueAt: daysFromNow(2) });
      await closeOpportunity(tenant, deal.id, { outcome, expected_version: deal.version });
    }
    const page = await openApp(browser(), { tenant });
    await openPipeline(page);
    expect(await shownRows(page)).toEqual([{ name: open, status: 'Open' }]);

    await pickStatus(page, 'Won');
    await expect.poll(() => shownRows(page)).toEqual([{ name: won, status: 'Won' }]);
    expect(searchParam(page, 'status')).toBe('won');

    await pickStatus(page, 'All');
    await expect.poll(() => shownRows(page).then((rows) => rows.length)).toBe(3);
    expect(await shownRows(page)).toEqual(
      expect.arrayContaining([
        { name: open, status: 'Open' },
        { name: won, status: 'Won' },
        { name: lost, status: 'Lost' },
      ]),
    );
    expect(searchParam(page, 'status')).toBe('all');
  });

  it('finds a deal by its next action, and explains when nothing matches', async () => {
    const tenant = await createTenant();
    const [, fabrikam] = await threeOpenDeals(tenant, unique());
    const page = await openApp(browser(), { tenant });
    await openPipeline(page, '?q=PRICING');
    await expect.poll(() => shownNames(page)).toEqual([fabrikam]);

    const search = page.getByTestId('pipeline-search');
    await search.fill('zebra crossing');
    const empty = page.getByTestId('empty-state');
    await empty.getByRole('heading', { name: 'No opportunities match' }).waitFor();
    expect(normalized(await empty.textContent())).toContain(
      'There are no open opportunities matching “zebra crossing”.',
    );
    expect(await page.getByTestId('pipeline-table').count()).toBe(0);

    await empty.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => shownNames(page).then((names) => names.length)).toBe(3);
    expect(await search.inputValue()).toBe('');
    expect(searchParam(page, 'q')).toBeNull();
  });

  it('keeps the status filter behind a Filters button on a phone', async () => {
    const tenant = await createTenant();
    const suffix = unique();
    const lost = `Vandelay Import ${suffix}`;
    await createOpportunity(tenant, { name: `Initech Seats ${suffix}`, dueAt: daysFromNow(1) });
    const deal = await createOpportunity(tenant, { name: lost, dueAt: daysFromNow(2) });
    await closeOpportunity(tenant, deal.id, { outcome: 'lost', expected_version: deal.version });
    const page = await openApp(browser(), { tenant, viewport: PHONE, isMobile: true });
    await openPipeline(page);
    expect(await page.getByRole('combobox', { name: 'Status' }).count()).toBe(0);

    const toggle = page.getByTestId('pipeline-filters-toggle');
    await toggle.click();
    // The panel opens on the next change detection, which a busy machine may run a little later.
    await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe('true');
    await pickStatus(page, 'Lost');

    await expect.poll(() => shownRows(page)).toEqual([{ name: lost, status: 'Lost' }]);
    expect(normalized(await toggle.textContent())).toContain('Filters 1 active');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  });
});
