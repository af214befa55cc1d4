// TOTP MFA in the browser: enrol from the account page, then sign in and reauthenticate with codes.
// The local AWS checks real RFC 6238 codes (the launcher starts it with TOTP checking on).
import { expect, Page, test } from '@playwright/test';
import { createHmac, randomBytes } from 'node:crypto';

const PASSWORD = 'Correct-Horse-9-battery';

function base32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let value = 0;
  let bits = 0;
  const out: number[] = [];
  for (const c of text.replace(/=+$/, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** The current code; near the end of a 30 s step, waits for the next one so it cannot expire in flight. */
async function totp(page: Page, secret: string): Promise<string> {
  const intoStep = Math.floor(Date.now() / 1000) % 30;
  if (intoStep > 26) await page.waitForTimeout((30 - intoStep) * 1000);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const code = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(code % 1_000_000).padStart(6, '0');
}

test('enrol in MFA, then sign in and reveal the key with codes @js-only', async ({ page, request }) => {
  const email = `e2e-mfa-${randomBytes(5).toString('hex')}@example.com`;
  expect((await request.post('/api/auth/signup', { data: { email, password: PASSWORD } })).status()).toBe(201);
  await page.goto('/signin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator('html')).toHaveClass(/hydrated/);
  await expect(page.getByTestId('mfa-state')).toHaveText('Off');

  await page.getByRole('button', { name: 'Set up MFA' }).click();
  await expect(page.getByTestId('mfa-qr').locator('svg')).toBeVisible();
  const secret = (await page.getByTestId('mfa-secret').textContent())!.trim();
  await page.getByLabel('Code').fill(await totp(page, secret));
  await page.getByRole('button', { name: 'Turn on MFA' }).click();
  await expect(page.getByRole('status').first()).toContainText('Multi-factor authentication is on');
  await expect(page.getByTestId('mfa-state')).toHaveText('On (authenticator app)');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/signin\/mfa/);
  await page.getByLabel('Code').fill('000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert')).toContainText('That code is not valid');
  await page.getByLabel('Code').fill(await totp(page, secret));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page).toHaveURL(/\/account$/);

  // Reauthentication asks for the code too.
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Authenticator code').fill(await totp(page, secret));
  await page.getByRole('button', { name: 'Confirm password' }).click();
  await expect(page.getByTestId('reauth-open')).toBeVisible();
  await page.getByRole('button', { name: 'Reveal key' }).click();
  await expect(page.getByTestId('revealed-key')).toHaveText(/^sk_[0-9a-f]{32}$/);
});
