import { expect, Page, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';

const PASSWORD = 'Correct-Horse-9-battery';
const newEmail = () => `e2e-${randomBytes(5).toString('hex')}@example.com`;

async function signUpThroughTheForm(page: Page, email: string) {
  await page.goto('/signup');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/signin\?signed_up=1$/);
  await expect(page.getByRole('status')).toContainText('Your account is ready');
}

async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('sign up, sign in, reveal after reauthentication, rotate, sign out @js-only', async ({ page }) => {
  // Every response of the flow, to check afterwards that the key appears in the reveal alone.
  const seen: Promise<{ url: string; text: string }>[] = [];
  page.on('response', (response) => {
    seen.push(
      (async () => {
        const headers = JSON.stringify(await response.allHeaders());
        const body = await response.text().catch(() => ''); // redirects have no body
        return { url: response.url(), text: headers + body };
      })(),
    );
  });
  const email = newEmail();
  await signUpThroughTheForm(page, email);
  await signIn(page, email);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('account-email')).toHaveText(email);
  await expect(page.getByTestId('signed-in-as')).toHaveText(email);
  await expect(page.locator('html')).toHaveClass(/hydrated/);
  const fingerprint = await page.getByTestId('key-fingerprint').textContent();

  // Reveal and rotate only after the password is confirmed.
  await expect(page.getByRole('button', { name: 'Reveal key' })).toHaveCount(0);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Confirm password' }).click();
  await expect(page.getByTestId('reauth-open')).toBeVisible();
  await page.getByRole('button', { name: 'Reveal key' }).click();
  await expect(page.getByTestId('revealed-key')).toHaveText(/^sk_[0-9a-f]{32}$/);
  const firstKey = await page.getByTestId('revealed-key').textContent();

  await page.getByRole('button', { name: 'Rotate key' }).click();
  await expect(page.getByRole('status').first()).toContainText('Your API key was rotated');
  await expect(page.getByTestId('key-fingerprint')).not.toHaveText(fingerprint!);
  await page.getByRole('button', { name: 'Reveal key' }).click();
  await expect(page.getByTestId('revealed-key')).toHaveText(/^sk_[0-9a-f]{32}$/);
  expect(await page.getByTestId('revealed-key').textContent()).not.toBe(firstKey);

  // Nothing of the key is kept in the browser.
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
  expect(stored).not.toMatch(/sk_[0-9a-f]{32}/);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin\?signed_out=1$/);
  await page.goto('/account');
  await expect(page).toHaveURL(/\/signin\?next=\/account$/);

  const responses = await Promise.all(seen);
  expect(responses.length).toBeGreaterThan(10);
  const reveals = responses.filter((r) => new URL(r.url).pathname === '/api/subscriber/apikey');
  expect(reveals.length).toBe(2);
  const revealedKeys = reveals.map((r) => r.text.match(/sk_[0-9a-f]{32}/)![0]);
  for (const r of responses) {
    if (new URL(r.url).pathname === '/api/subscriber/apikey') continue;
    for (const key of revealedKeys) {
      expect(r.text.includes(key), `the key leaked into ${r.url}`).toBe(false);
    }
    expect(/sk_[0-9a-f]{32}/.test(r.text), `something shaped like a key in ${r.url}`).toBe(false);
  }
});

test('a signed-out visitor is sent to sign-in and comes back after it', async ({ page, request }) => {
  const email = newEmail();
  const created = await request.post('/api/auth/signup', { data: { email, password: PASSWORD } });
  expect(created.status()).toBe(201);
  await page.goto('/synthesizers');
  await expect(page).toHaveURL(/\/signin\?next=\/synthesizers$/);
  await signIn(page, email);
  await expect(page).toHaveURL(/\/synthesizers$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Synthesizers');
});

test('a wrong password gets one generic message', async ({ page, request }) => {
  const email = newEmail();
  await request.post('/api/auth/signup', { data: { email, password: PASSWORD } });
  await page.goto('/signin');
  await signIn(page, email, 'Wrong-Passw0rd!');
  await expect(page.getByRole('alert')).toHaveText('The email or password is incorrect.');
});

test('sign in and sign out work as plain form posts without JavaScript @no-js-only', async ({ page, request }) => {
  const email = newEmail();
  await request.post('/api/auth/signup', { data: { email, password: PASSWORD } });
  await page.goto('/signin');
  await signIn(page, email);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('account-email')).toHaveText(email);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin\?signed_out=1$/);
  await expect(page.getByRole('status')).toHaveText('You are signed out.');
  await page.goto('/account');
  await expect(page).toHaveURL(/\/signin\?next=\/account$/);
});
