import { expect, Page, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

// The seeded demo user and its account (210987654321, a correct CDK bootstrap whose handshake
// role trusts the demo user's key). `make test` exports FASTISH_TEST_DEMO.
const demo = JSON.parse(readFileSync(process.env.FASTISH_TEST_DEMO ?? '../.local-aws/dev/demo.json', 'utf8'));
const CHECKS = ['Handshake Role', 'S3 Assets Bucket', 'ECR Repository', 'KMS Key', 'Deployment Role', 'CDK Bootstrap Version'];
const uniqueName = () => `e2e-${randomBytes(4).toString('hex')}`;

async function signInAsDemo(page: Page) {
  await page.goto('/signin?next=/synthesizers/new');
  await page.getByLabel('Email').fill(demo.email);
  await page.getByLabel('Password').fill(demo.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/synthesizers\/new$/);
}

async function importDemo(page: Page, name: string) {
  const importer = page.getByRole('region', { name: 'Import from your bootstrap' });
  await importer.getByLabel('Name (required)').fill(name);
  await importer.getByLabel('Stack outputs').fill(JSON.stringify(demo.synthesizers.demo, null, 2));
  await importer.getByRole('button', { name: 'Import' }).click();
  await expect(page).toHaveURL(/\/synthesizers\/syn_[0-9a-f]+\?imported=1$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
}

const check = (page: Page, name: string) => page.locator(`[data-testid="check"][data-check="${name}"]`);

/** Records every status each check row shows, from before the click to the end. */
async function watchChecks(page: Page) {
  await page.evaluate(() => {
    const seen: Record<string, string[]> = {};
    (window as any).__seen = seen;
    const record = () => {
      document.querySelectorAll('[data-testid="check"]').forEach((row) => {
        const name = row.getAttribute('data-check')!;
        const status = row.getAttribute('data-status')!;
        const list = (seen[name] ??= []);
        if (list[list.length - 1] !== status) list.push(status);
      });
    };
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
}

test('import, verify live, break the region, verify again @js-only', async ({ page }) => {
  await signInAsDemo(page);
  await expect(page.locator('html')).toHaveClass(/hydrated/);
  const name = uniqueName();
  await importDemo(page, name);
  await expect(page.locator('html')).toHaveClass(/hydrated/);
  await expect(page.getByTestId('no-report')).toBeVisible();

  await watchChecks(page);
  await page.getByRole('button', { name: 'Verify Configuration' }).click();
  await expect(page.getByTestId('verdict')).toContainText('Configuration valid');
  for (const c of CHECKS) {
    await expect(check(page, c)).toHaveAttribute('data-status', 'passed');
  }
  // Each check was shown pending first, then filled in, without a page load.
  const seen = await page.evaluate(() => (window as any).__seen);
  for (const c of CHECKS) {
    expect(seen[c], c).toEqual(['pending', 'passed']);
  }
  await expect(page).toHaveURL(/\?imported=1$/);
  await expect(page.getByTestId('synthesizer-state')).toHaveText(/^Verified/);
  await expect(check(page, 'Handshake Role').getByTestId('check-message')).toHaveText('Successfully assumed handshake role');

  // Break it: the synthesizer now claims another region than its bucket's.
  const config = page.getByRole('region', { name: 'Configuration' });
  await config.getByLabel('Region (required)').fill('us-east-1');
  await config.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\?saved=1$/);
  await expect(page.getByTestId('synthesizer-state')).toHaveText('Not verified');
  await page.getByRole('button', { name: 'Verify Configuration' }).click();
  await expect(page.getByTestId('verdict')).toContainText('Configuration not valid');
  const bucket = check(page, 'S3 Assets Bucket');
  await expect(bucket).toHaveAttribute('data-status', 'failed');
  await expect(bucket.getByTestId('check-message')).toHaveText('Bucket is in us-west-2, expected us-east-1');
  await expect(bucket.getByTestId('check-action')).toContainText('cdk bootstrap aws://210987654321/us-east-1');

  // Both reports are kept, newest first.
  await page.getByRole('link', { name: /All reports/ }).click();
  await expect(page.getByTestId('history-entry')).toHaveCount(2);
  await expect(page.getByTestId('history-entry').first().getByTestId('verdict')).toContainText('not valid');
});

test('without JavaScript the same button posts the form and shows the finished report @no-js-only', async ({ page }) => {
  await signInAsDemo(page);
  const name = uniqueName();
  await importDemo(page, name);
  await page.getByRole('button', { name: 'Verify Configuration' }).click();
  await expect(page).toHaveURL(/\?verified=1#report$/);
  await expect(page.getByTestId('verdict')).toContainText('Configuration valid');
  for (const c of CHECKS) {
    await expect(check(page, c)).toHaveAttribute('data-status', 'passed');
  }
  await page.goto('/synthesizers');
  const row = page.getByTestId('synthesizer-list').getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('Verified');
});

test('a bad field is refused next to the field, and what was typed stays', async ({ page }) => {
  await signInAsDemo(page);
  const form = page.getByRole('region', { name: 'Or fill it in' });
  const name = uniqueName();
  await form.getByLabel('Name (required)').fill(name);
  await form.getByLabel('AWS account id').fill('1234');
  await form.getByLabel('Region (required)').fill('us-west-2');
  await form.getByLabel('Assets bucket').fill('Bad_Bucket');
  await form.getByRole('button', { name: 'Create synthesizer' }).click();
  await expect(page.getByTestId('form-error')).toBeVisible();
  await expect(page.getByTestId('error-account')).toHaveText('An AWS account id is exactly 12 digits.');
  await expect(page.getByTestId('error-cdk.storage.assetsBucket')).toBeVisible();
  await expect(form.getByLabel('Name (required)')).toHaveValue(name);
  await expect(form.getByLabel('Assets bucket')).toHaveValue('Bad_Bucket');
  await expect(form.getByLabel('AWS account id')).toHaveAttribute('aria-invalid', 'true');

  // A role in another account than the synthesizer's is refused.
  await form.getByLabel('AWS account id').fill('210987654321');
  await form.getByLabel('Assets bucket').fill('cdk-hnb659fds-assets-210987654321-us-west-2');
  await form.getByLabel('Handshake role ARN').fill('arn:aws:iam::999999999999:role/fastish-handshake-role');
  await form.getByRole('button', { name: 'Create synthesizer' }).click();
  await expect(page.getByTestId('error-cdk.role.handshake')).toContainText('must be in its account 210987654321');
  await expect(page.getByTestId('error-account')).toHaveCount(0);

  await form.getByLabel('Handshake role ARN').fill('arn:aws:iam::210987654321:role/fastish-handshake-role');
  await form.getByRole('button', { name: 'Create synthesizer' }).click();
  await expect(page).toHaveURL(/\/synthesizers\/syn_[0-9a-f]+\?saved=1$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
});
