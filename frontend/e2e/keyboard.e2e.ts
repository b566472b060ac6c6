import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { completeButton, completeDialog, openApp, openDueList, useBrowser } from './support/app';
import { createOpportunity, createTenant, unique } from './support/api';
import { minutesFromNow } from './support/time';

/** Enough for the skip link, the toolbar and a few cards; a focus trap or a lost button would exhaust it. */
const MAX_TABS = 30;

function hasFocus(target: Locator): Promise<boolean> {
  return target.evaluate((element) => element === document.activeElement);
}

/** Presses Tab until `target` has the focus, like a keyboard user would; the number of presses, or null. */
async function tabTo(page: Page, target: Locator): Promise<number | null> {
  for (let presses = 1; presses <= MAX_TABS; presses++) {
    await page.keyboard.press('Tab');
    if (await hasFocus(target)) return presses;
  }
  return null;
}

describe('Keyboard use of the due list', () => {
  const browser = useBrowser();

  it('reaches a Complete button with Tab, opens the dialog with Enter and closes it with Escape', async () => {
    const tenant = await createTenant();
    const name = `Tailspin Toys ${unique()}`;
    await createOpportunity(tenant, { name, dueAt: minutesFromNow(-15) });
    const page = await openApp(browser(), { tenant });
    await openDueList(page);
    const button = completeButton(page, name);

    expect(await tabTo(page, button)).not.toBeNull();
    await page.keyboard.press('Enter');
    const dialog = completeDialog(page);
    // The focus moves into the dialog, so the keyboard user goes on from there.
    await dialog.locator(':focus').waitFor();

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => hasFocus(button)).toBe(true);
  });
});
