import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  actionCard,
  completeDialog,
  normalized,
  openApp,
  openCompleteDialog,
  openDueList,
  PHONE,
  section,
  useBrowser,
} from './support/app';
import { findDemoOpportunity, signIn } from './support/api';

/**
 * The README's pictures, taken from the seeded "Demo Sales Team" as its manager sees it in the team view (every
 * deal, with its owner), and its admin on the members page. No other test changes that team's data (each uses a
 * team of its own), so the pictures show the demo exactly as seeded, whatever order the files run in.
 */
const DEMO_TEAM = { id: 'demo-tenant-1', timezone: 'America/New_York' };
const DEMO_PASSWORD = 'demo-password';
const DEMO_MANAGER = { email: 'manager@demo-tenant-1.test', password: DEMO_PASSWORD };
const DEMO_ADMIN = { email: 'admin@demo-tenant-1.test', password: DEMO_PASSWORD };
/** The manager's view of the demo team: every deal, whoever owns it. */
const AS_MANAGER = { tenant: DEMO_TEAM, as: DEMO_MANAGER, teamView: true };
const DEMO_DEAL = 'Acme Corp Deal';
/** The seeded team's deals still in the pipeline: all but the one won and the one lost. */
const DEMO_OPEN_DEALS = 13;
const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

/** Waits for web fonts (text and icons), then writes docs/screenshots/<name>, with animations finished. */
async function capture(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path: `${SCREENSHOTS}${name}`, animations: 'disabled' });
}

/** A page of the app, whatever it shows, once its data has arrived and no placeholder is left. */
async function settle(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor();
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => document.querySelector('main [aria-busy="true"]') === null);
}

/** True when nothing sticks out sideways: the page needs no horizontal scrolling. */
function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

function isWithinViewportWidth(element: Locator): Promise<boolean> {
  return element.evaluate((node) => {
    const box = node.getBoundingClientRect();
    return box.left >= 0 && box.right <= window.innerWidth;
  });
}

/** All opportunities as a rep first sees it: the open deals, soonest action first. */
async function openAllOpportunities(page: Page): Promise<void> {
  await page.goto('/opportunities');
  await settle(page);
  await page.getByTestId('pipeline-row').filter({ hasText: DEMO_DEAL }).waitFor();
  expect(normalized(await page.getByTestId('pipeline-count').textContent())).toBe(
    `${DEMO_OPEN_DEALS} opportunities`,
  );
}

async function planNextAction(page: Page): Promise<void> {
  const dialog = await openCompleteDialog(page, DEMO_DEAL);
  await dialog
    .getByRole('textbox', { name: 'What happened? (optional)' })
    .fill('Customer asked for a 10% discount');
  await dialog.getByRole('button', { name: 'Tomorrow 9:00' }).click();
  await dialog.getByRole('textbox', { name: 'Next action' }).fill('Send revised contract with updated terms');
  // Typing scrolled the form to the last field; the picture starts with the deal being completed.
  await dialog.locator('mat-dialog-content').evaluate((content) => content.scrollTo({ top: 0 }));
}

describe('The demo team, pictured for the README', () => {
  const browser = useBrowser();

  beforeAll(() => {
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  it('shows the overdue demo deals on a desktop', async () => {
    const page = await openApp(browser(), AS_MANAGER);
    await openDueList(page);
    await actionCard(section(page, 'Overdue'), DEMO_DEAL).waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await capture(page, 'dashboard-desktop.png');
  });

  it('fits the due list on a 360 px phone without sideways scrolling', async () => {
    const page = await openApp(browser(), { ...AS_MANAGER, viewport: PHONE, isMobile: true });
    await openDueList(page);
    await actionCard(section(page, 'Overdue'), DEMO_DEAL).waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await capture(page, 'dashboard-mobile.png');
  });

  it('shows the complete dialog with the next action planned, on a desktop', async () => {
    const page = await openApp(browser(), AS_MANAGER);
    await openDueList(page);
    await planNextAction(page);
    expect(normalized(await completeDialog(page).textContent())).toContain('Follow up on proposal feedback');
    await capture(page, 'complete-dialog-desktop.png');
  });

  it('keeps the complete dialog inside a 360 px phone screen', async () => {
    const page = await openApp(browser(), { ...AS_MANAGER, viewport: PHONE, isMobile: true });
    await openDueList(page);
    await planNextAction(page);
    expect(await isWithinViewportWidth(completeDialog(page))).toBe(true);
    await capture(page, 'complete-dialog-mobile.png');
  });

  it('shows the upcoming page on a desktop', async () => {
    const page = await openApp(browser(), AS_MANAGER);
    await page.goto('/upcoming');
    await settle(page);
    expect(await page.title()).toContain('Upcoming');
    await capture(page, 'upcoming-desktop.png');
  });

  it('shows all open demo deals on a desktop, with the default filters', async () => {
    const page = await openApp(browser(), AS_MANAGER);
    await openAllOpportunities(page);
    expect(await fitsWidth(page)).toBe(true);
    await capture(page, 'pipeline-desktop.png');
  });

  it('fits all opportunities on a 360 px phone without sideways scrolling', async () => {
    const page = await openApp(browser(), { ...AS_MANAGER, viewport: PHONE, isMobile: true });
    await openAllOpportunities(page);
    expect(await fitsWidth(page)).toBe(true);
    await capture(page, 'pipeline-mobile.png');
  });

  it("shows a demo deal's own page on a desktop", async () => {
    const manager = await signIn(DEMO_MANAGER.email, DEMO_MANAGER.password);
    const deal = await findDemoOpportunity(DEMO_TEAM.id, DEMO_DEAL, manager);
    const page = await openApp(browser(), AS_MANAGER);
    await page.goto(`/opportunities/${deal.id}`);
    await settle(page);
    expect(normalized(await page.locator('main').textContent())).toContain(DEMO_DEAL);
    await capture(page, 'opportunity-desktop.png');
  });

  it('shows the sign-in page on a desktop', async () => {
    const page = await openApp(browser(), { tenant: DEMO_TEAM, as: null });
    await page.goto('/');
    await page.waitForURL('**/sign-in');
    await settle(page);
    expect(await fitsWidth(page)).toBe(true);
    await capture(page, 'sign-in-desktop.png');
  });

  it('fits the sign-in page on a 360 px phone', async () => {
    const page = await openApp(browser(), { tenant: DEMO_TEAM, as: null, viewport: PHONE, isMobile: true });
    await page.goto('/sign-in');
    await settle(page);
    expect(await fitsWidth(page)).toBe(true);
    await capture(page, 'sign-in-mobile.png');
  });

  it("shows the demo team's members to its admin on a desktop", async () => {
    const page = await openApp(browser(), { tenant: DEMO_TEAM, as: DEMO_ADMIN });
    await page.goto('/members');
    await settle(page);
    await page.getByTestId('member-row').first().waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await capture(page, 'members-desktop.png');
  });

  it('fits the members page on a 360 px phone', async () => {
    const page = await openApp(browser(), {
      tenant: DEMO_TEAM,
      as: DEMO_ADMIN,
      viewport: PHONE,
      isMobile: true,
    });
    await page.goto('/members');
    await settle(page);
    await page.getByTestId('member-row').first().waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await capture(page, 'members-mobile.png');
  });
});
