/**
 * Debian's Chromium, headless, driven by playwright-core, for the tests that open a page: the flags
 * keep it off the network this machine does not have (the env notes: without them its background
 * connections are refused, many at a time, and every start looks up Google's hosts).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env['OWLET_CHROMIUM'] ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A headless Chromium with its own profile folder; fails with what to install when there is none. */
export function launchChromium(profile: string, viewport: { width: number; height: number }): Promise<BrowserContext> {
  assert.ok(existsSync(CHROMIUM), `Chromium is not installed (no ${CHROMIUM}): install it with \`apt-get install -y chromium\` (Debian), or set OWLET_CHROMIUM to a Chromium binary`);
  return chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport });
}
