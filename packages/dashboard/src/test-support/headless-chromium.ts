// Test support: Debian's /usr/bin/chromium driven by playwright-core (never a browser download); absent under CI=true is a failure.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { partialAllowed, recordPartial } from '../../../storage/src/test-support/partial-run.js';

export const CHROMIUM_PATH = process.env.TOUCHLINE_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * True when browser tests can run here. A missing browser throws (the file fails) unless
 * TOUCHLINE_ALLOW_PARTIAL=1 outside CI, which skips it and counts it in the run's closing summary.
 */
export function chromiumAvailable(file = 'a browser test file'): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (!partialAllowed()) {
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install -y chromium), as .ci/run does ` +
        '(locally, TOUCHLINE_ALLOW_PARTIAL=1 skips the browser tests; never under CI=true)',
    );
  }
  recordPartial('Chromium', file);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, headless: true });
}
