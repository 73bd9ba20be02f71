import { AxeBuilder } from '@axe-core/playwright';
import { Secret, TOTP } from 'otpauth';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium), headless, with no background traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.ZEGEL_E2E_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A fresh browser profile (its own cookies) that records every CSP violation on its pages. */
export async function openContext(
  browser: Browser,
  baseURL: string,
): Promise<{ context: BrowserContext; cspViolations: string[] }> {
  const context = await browser.newContext({ baseURL, locale: 'nl-NL' });
  context.setDefaultTimeout(15_000);
  const cspViolations: string[] = [];
  context.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) {
      cspViolations.push(
        `${message.page()?.url() ?? '?'} ${message.location().url}: ${message.text().slice(0, 120)}`,
      );
    }
  });
  context.on('weberror', (error) => {
    if (String(error.error()).includes('Content Security Policy')) cspViolations.push(String(error.error()));
  });
  return { context, cspViolations };
}

/** WCAG 2.1 A and AA violations on the page as it is now, summarised for a readable assertion. */
export async function findAccessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations.map(
    (violation) =>
      `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
  );
}

/**
 * A TOTP code for a time step after `usedStep`. The server accepts each step once (and one step
 * of drift either way), so a user's consecutive sign-ins need different steps; when the next
 * usable step is still too far ahead, this waits for the clock rather than failing.
 */
export async function createTotpCode(
  secret: string,
  usedStep: number | null,
): Promise<{ code: string; step: number }> {
  const totp = new TOTP({ issuer: 'Zegel', secret: Secret.fromBase32(secret.replace(/\s+/g, '')) });
  let now = Math.floor(Date.now() / 30_000);
  if (usedStep !== null && usedStep > now) {
    await new Promise((resolve) => setTimeout(resolve, usedStep * 30_000 - Date.now() + 200));
    now = Math.floor(Date.now() / 30_000);
  }
  const step = usedStep === null || usedStep < now ? now : usedStep + 1;
  return { code: totp.generate({ timestamp: step * 30_000 }), step };
}
