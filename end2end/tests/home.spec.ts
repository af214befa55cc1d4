import { expect, test } from '@playwright/test';

test('the home page renders with the portal layout', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle('Fastish Portal');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Verify your AWS account before you deploy');
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const area of ['Synthesizers', 'Releases', 'Account']) {
    await expect(nav.getByRole('link', { name: area })).toBeVisible();
  }
});

test('the sign-in page is reachable from the header', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page).toHaveTitle('Sign in · Fastish Portal');
  await expect(page.getByLabel('Email')).toBeVisible();
  await expect(page.getByLabel('Password')).toBeVisible();
});

test('after hydration the phone-width menu button toggles the navigation @js-only', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto('/');
  await expect(page.locator('html')).toHaveClass(/hydrated/);
  const toggle = page.getByRole('button', { name: 'Menu' });
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(nav).toBeHidden();
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(nav.getByRole('link', { name: 'Synthesizers' })).toBeVisible();
  await toggle.click();
  await expect(nav).toBeHidden();
});

test('without JavaScript the phone-width navigation stays usable @no-js-only', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto('/');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Releases' })).toBeVisible();
});

test('a server function answers after hydration: platform details @js-only', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveClass(/hydrated/);
  await page.getByRole('button', { name: 'Show platform details' }).click();
  const details = page.getByTestId('platform-details');
  await expect(details).toContainText('Platform account');
  await expect(details).toContainText(/\d{12}/);
  await expect(details).toContainText(/arn:aws:iam::\d{12}:/);
});
