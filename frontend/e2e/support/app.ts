import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, inject, onTestFinished } from 'vitest';
import type { EventType } from '../../src/app/api/models';
import type { User } from './api';
import { launchChromium } from './chromium';

/** Where the dashboard keeps the selected team (TenantStore). */
const TENANT_STORAGE_KEY = 'nat.tenant';
/** Where the dashboard keeps Mine or Team for the tab (TeamScope). */
const SCOPE_STORAGE_KEY = 'nat.scope';

const FAILURES_DIR = fileURLToPath(new URL('../../../tmp/e2e-failures/', import.meta.url));

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 780 };

/** One Chromium for the test file, closed after it. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('useBrowser() must be called at the top of a test file');
    return browser;
  };
}

export interface AppOptions {
  /** The team picked when the app first starts; the tests' clock (timezoneId) is that team's zone. */
  tenant: { id: string; timezone: string; admin?: User };
  /**
   * Who is signed in when the page opens (by default the tenant's admin); null for nobody. The session is the
   * one the dashboard keeps: the refresh cookie, which the app turns into an access token as it starts.
   */
  as?: Pick<User, 'email' | 'password'> | null;
  viewport?: { width: number; height: number };
  isMobile?: boolean;
  /** Start in the team view (managers and admins), as if the user had picked "Team" before. */
  teamView?: boolean;
}

/**
 * A fresh browser profile (context) for one test, closed when the test ends: en-US, light, in the tenant's time
 * zone so that the browser's "today" is the tenant's "today"; signed in as `as` (see AppOptions).
 */
export async function openApp(
  browser: Browser,
  { tenant, as = tenant.admin ?? null, viewport = DESKTOP, isMobile = false, teamView = false }: AppOptions,
): Promise<Page> {
  const context = await browser.newContext({
    baseURL: inject('baseUrl'),
    timezoneId: tenant.timezone,
    locale: 'en-US',
    colorScheme: 'light',
    viewport,
    isMobile,
    hasTouch: isMobile,
  });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(20_000);
  // Only a first choice: a reload keeps whatever the user picked since.
  await context.addInitScript(
    ({ key, id }) => {
      if (localStorage.getItem(key) === null) localStorage.setItem(key, id);
    },
    { key: TENANT_STORAGE_KEY, id: tenant.id },
  );
  if (teamView) {
    await context.addInitScript((key) => {
      if (sessionStorage.getItem(key) === null) sessionStorage.setItem(key, 'team');
    }, SCOPE_STORAGE_KEY);
  }
  if (as) await signInWithCookie(context, as);
  const page = await context.newPage();
  onTestFinished(async ({ task }) => {
    if (task.result?.state === 'fail') await keepFailureScreenshot(page, task.name);
    await context.close();
  });
  page.on('pageerror', (error) => console.error(`[browser] uncaught: ${error.message}`));
  return page;
}

/**
 * Signs the browser profile in as the dashboard does (POST /auth/login with `cookie: true`), without the page: the
 * refresh cookie lands in the profile's cookie jar, and the app restores the session from it when it starts.
 */
async function signInWithCookie(
  context: BrowserContext,
  user: Pick<User, 'email' | 'password'>,
): Promise<void> {
  const response = await context.request.post('/api/v1/auth/login', {
    data: { email: user.email, password: user.password, cookie: true },
  });
  if (!response.ok()) throw new Error(`Signing in ${user.email} answered ${response.status()}`);
}

/** Signs in through the sign-in page, as a person would, and waits until the app has left it. */
export async function signInThroughPage(page: Page, user: Pick<User, 'email' | 'password'>): Promise<void> {
  if (!new URL(page.url()).pathname.startsWith('/sign-in')) await page.goto('/sign-in');
  await page.getByRole('textbox', { name: 'Email' }).fill(user.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

/** Opens the account menu in the toolbar; its items are then `menuitem`s. */
export async function openUserMenu(page: Page): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menu').waitFor();
}

/** What the page showed when a test failed, for the one who reads the failure: tmp/e2e-failures/<test>.png. */
async function keepFailureScreenshot(page: Page, testName: string): Promise<void> {
  const file = `${FAILURES_DIR}${testName.replace(/[^\w-]+/g, '-').slice(0, 100)}.png`;
  await page
    .screenshot({ path: file, fullPage: true })
    .then(() => console.error(`[browser] screenshot of the failure: ${file}`))
    .catch(() => undefined);
}

/** Opens the due list and waits until it has loaded (its summary is shown with the list or the empty state). */
export async function openDueList(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('due-summary').waitFor();
}

/** The card of the deal called `name`, in the page or in one of its sections. */
export function actionCard(scope: Page | Locator, name: string): Locator {
  return scope.getByTestId('action-card').filter({ hasText: name });
}

export function completeButton(page: Page, name: string): Locator {
  return page.getByRole('button', { name: `Complete action: ${name}` });
}

export function section(page: Page, title: 'Overdue' | 'Due today'): Locator {
  return page.getByRole('region', { name: new RegExp(`^${title}\\b`) });
}

export function completeDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Complete action' });
}

/**
 * Waits until `dialog` has finished opening, which is when it moves the focus to its first field: text typed
 * before that moment (faster than any person) would land in whichever field has the focus then.
 */
export async function waitUntilOpen(dialog: Locator): Promise<Locator> {
  await dialog.locator(':focus').waitFor();
  return dialog;
}

export async function openCompleteDialog(page: Page, name: string): Promise<Locator> {
  await completeButton(page, name).click();
  return waitUntilOpen(completeDialog(page));
}

export type CardMenuChoice = 'Reschedule' | 'Edit' | 'Reassign' | 'Close won' | 'Close lost';

/** Picks `choice` from the "More actions" menu of a deal's card; the dialog it opens is for the caller to find. */
export async function chooseFromCardMenu(page: Page, name: string, choice: CardMenuChoice): Promise<void> {
  await page.getByRole('button', { name: `More actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: choice, exact: true }).click();
}

/** Opens the page of one deal and waits until it has loaded. */
export async function openOpportunityPage(page: Page, id: string): Promise<void> {
  await page.goto(`/opportunities/${id}`);
  await page.getByTestId('opportunity-name').waitFor();
}

/** The entries of one kind in the deal's timeline, newest first. */
export function timelineEntries(page: Page, type: EventType): Locator {
  return page.locator(`[data-testid="timeline-entry"][data-type="${type}"]`);
}

/** The header's figures as the user reads them: { 'At stake': '$30,000', Overdue: '1', 'Due today': '1' }. */
export function readSummary(page: Page): Promise<Record<string, string>> {
  return page
    .getByTestId('due-summary')
    .evaluate((list) =>
      Object.fromEntries(
        Array.from(list.querySelectorAll('dt')).map((term) => [
          term.textContent?.trim() ?? '',
          term.nextElementSibling?.textContent?.trim() ?? '',
        ]),
      ),
    );
}

/** Text as a person reads it: every run of white space (including the narrow no-break space of times) is one space. */
export function normalized(text: string | null): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** What the snack bar announces to screen readers (its live region), or '' while none is shown. */
export async function snackBarText(page: Page): Promise<string> {
  const announcements = await page.locator('mat-snack-bar-container [aria-live]').allTextContents();
  return normalized(announcements.join(' '));
}

/** The number of calls of `method` to API paths ending with `pathEnd` that the page makes from now on. */
export function countRequests(page: Page, method: string, pathEnd: string): () => number {
  let count = 0;
  page.on('request', (request) => {
    if (request.method() === method && new URL(request.url()).pathname.endsWith(pathEnd)) count++;
  });
  return () => count;
}
