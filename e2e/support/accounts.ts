import type { Page } from 'playwright-core';
import { createTotpCode } from './browser.ts';

/**
 * A colleague accepts an invitation through the screens: password, authenticator app (TOTP from
 * the secret shown), recovery codes; ends on "Mijn account" with a full session.
 */
export async function acceptInvitation(page: Page, invitationLink: string, password: string): Promise<void> {
  const link = new URL(invitationLink);
  await page.goto(`${link.pathname}${link.hash}`);
  await page.getByLabel('Nieuw wachtwoord').fill(password);
  await page.getByLabel('Herhaal het wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Account aanmaken' }).click();
  await page.getByRole('heading', { level: 1, name: 'Authenticator-app instellen' }).waitFor();
  const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
  await page.getByLabel('Code', { exact: true }).fill((await createTotpCode(secret, null)).code);
  await page.getByRole('button', { name: 'Instellen' }).click();
  await page.getByLabel('Ik heb de herstelcodes bewaard').check();
  await page.getByRole('button', { name: 'Verder' }).click();
  await page.getByRole('heading', { level: 1, name: 'Mijn account' }).waitFor();
}

/** Signs the demo user in through the screens (password, then the current TOTP code). */
export async function signInAsDemo(
  page: Page,
  demo: { email: string; password: string; totpSecret: string },
): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('E-mailadres').fill(demo.email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(demo.password);
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await page.getByRole('heading', { level: 1, name: 'Code invullen' }).waitFor();
  const { code } = await createTotpCode(demo.totpSecret, null);
  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Bevestigen' }).click();
  await page.getByRole('heading', { level: 1, name: 'Mijn account' }).waitFor();
}
