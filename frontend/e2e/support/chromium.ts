import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** The distribution's Chromium: playwright-core downloads no browser of its own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const MISSING_CHROMIUM = `${CHROMIUM_PATH} is missing: run: apt-get install -y chromium`;

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(MISSING_CHROMIUM);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
