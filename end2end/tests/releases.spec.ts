import { expect, Page, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

// The seeded demo user, its account (a correct bootstrap), a hosted zone and a verified SES
// sender there. `make test` exports FASTISH_TEST_DEMO and AWS_ENDPOINT_URL (the local AWS).
const demo = JSON.parse(readFileSync(process.env.FASTISH_TEST_DEMO ?? '../.local-aws/dev/demo.json', 'utf8'));
const CHECKS = ['Synthesizer Verification', 'Domain Configuration', 'SES Email Verification', 'Team Resource Quotas', 'Stack Name Conflict', 'AWS Service Quotas'];
const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
// The live report (the page also lists earlier reports, with the same rows).
const report = (page: Page) => page.locator('#report');
const check = (page: Page, name: string) => report(page).locator(`[data-testid="check"][data-check="${name}"]`);

async function signInAsDemo(page: Page, next: string) {
  await page.goto(`/signin?next=${next}`);
  await page.getByLabel('Email').fill(demo.email);
  await page.getByLabel('Password').fill(demo.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`${next.replace('?', '\\?')}$`));
}

/** A verified synthesizer on the demo account, an organization and a team (through the pages). */
async function setUp(page: Page) {
  const synth = unique('rel-synth');
  const imported = await page.request.post('/api/subscriber/synthesizer/import', { data: { name: synth, outputs: demo.synthesizers.demo } });
  expect(imported.status()).toBe(201);
  const id = (await imported.json()).id;
  const verified = await page.request.post(`/api/subscriber/synthesizer/${id}/verify`);
  expect((await verified.json()).valid).toBe(true);

  const org = unique('org');
  const team = unique('team');
  await page.goto('/releases/setup');
  const orgs = page.getByRole('region', { name: 'Organizations' });
  await orgs.getByLabel('Organization name (required)').fill(org);
  await orgs.getByLabel('Tags').fill('env=demo, owner=web');
  await orgs.getByRole('button', { name: 'Create organization' }).click();
  await expect(page.getByRole('status')).toContainText('The organization was saved.');
  const teams = page.getByRole('region', { name: 'Teams' });
  await teams.getByLabel('Team name (required)').fill(team);
  await teams.getByLabel('Organization (required)').last().selectOption({ label: org });
  await teams.getByLabel('Quota: Lambda functions').last().fill('50');
  await teams.getByRole('button', { name: 'Create team' }).click();
  await expect(page.getByRole('status')).toContainText('The team was saved.');
  return { synth, org, team };
}

async function newWebapp(page: Page, names: { synth: string; org: string; team: string }, name: string) {
  await page.goto('/releases/new?type=webapp');
  await page.getByLabel('Name (required)').fill(name);
  await page.getByLabel('Organization (required)').selectOption({ label: names.org });
  await page.getByLabel('Team (required)').selectOption({ label: `${names.team} (${names.org})` });
  await page.getByLabel('Synthesizer (required)').selectOption({ label: `${names.synth} (${demo.synthesizers.demo.account} ${demo.synthesizers.demo.region})` });
  await page.getByLabel('Environment (required)').fill('production');
  await page.getByLabel('Version (required)').fill('v1');
  await page.getByLabel('Domain (required)').fill(demo.release.domain);
  await page.getByLabel('Route 53 hosted zone id (required)').fill(demo.release.hostedZoneId);
  await page.getByLabel('Sender email (SES) (required)').fill(demo.release.email);
  await page.getByRole('button', { name: 'Create release' }).click();
  await expect(page).toHaveURL(/\/releases\/webapp\/rel_[0-9a-f]+\?saved=1$/);
  await expect(page.getByTestId('stack-name')).toHaveText(`${names.org}-${name}-webapp`);
}

async function editConfiguration(page: Page, label: string, value: string) {
  const config = page.getByRole('region', { name: 'Configuration' });
  await config.getByLabel(label).fill(value);
  await config.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\?saved=1$/);
  await expect(page.getByTestId('release-status')).toHaveText('draft');
}

test('create a release, verify before launch live, a pending SES sender warns, launch only when valid @js-only', async ({ page }) => {
  await signInAsDemo(page, '/releases');
  const names = await setUp(page);
  await newWebapp(page, names, unique('shop'));
  await expect(page.locator('html')).toHaveClass(/hydrated/);
  await expect(page.getByTestId('release-status')).toHaveText('draft');
  await expect(page.getByTestId('launch')).toBeDisabled();

  await page.getByRole('button', { name: 'Verify Before Launch' }).click();
  for (const c of CHECKS) {
    await expect(check(page, c)).toHaveAttribute('data-status', 'passed');
  }
  await expect(report(page).getByTestId('verdict')).toContainText('Configuration valid');
  await expect(page.getByTestId('launch')).toBeEnabled();

  // The sender becomes pending in SES (a fixture hook of the local AWS): a warning, still valid.
  const pending = `pending-${randomBytes(3).toString('hex')}@${demo.release.domain}`;
  const hook = await page.request.post(`${process.env.AWS_ENDPOINT_URL}/_fastish/state`, {
    data: { ses: { account: demo.synthesizers.demo.account, identity: pending, status: 'Pending' } },
  });
  expect(hook.status()).toBe(200);
  await editConfiguration(page, 'Sender email (SES) (required)', pending);
  await expect(page.getByTestId('launch')).toBeDisabled();
  await page.getByRole('button', { name: 'Verify Before Launch' }).click();
  const ses = check(page, 'SES Email Verification');
  await expect(ses).toHaveAttribute('data-status', 'warning');
  await expect(ses.getByTestId('check-message')).toHaveText(`Email ${pending} verification pending`);
  await expect(ses.getByTestId('check-action')).toBeVisible();
  await expect(page.getByTestId('launch')).toBeEnabled();

  // A domain the hosted zone is not for: failed, and Launch stays off.
  await editConfiguration(page, 'Domain (required)', 'elsewhere.example.org');
  await page.getByRole('button', { name: 'Verify Before Launch' }).click();
  await expect(check(page, 'Domain Configuration')).toHaveAttribute('data-status', 'failed');
  await expect(report(page).getByTestId('verdict')).toContainText('Configuration not valid');
  await expect(page.getByTestId('launch')).toBeDisabled();

  // Back to the right domain, verified again: Launch hands it to the pipeline.
  await editConfiguration(page, 'Domain (required)', demo.release.domain);
  await page.getByRole('button', { name: 'Verify Before Launch' }).click();
  await expect(report(page).getByTestId('verdict')).toContainText('Configuration valid');
  await page.reload();
  await page.getByTestId('launch').click();
  await expect(page).toHaveURL(/\?launched=1$/);
  await expect(page.getByTestId('release-status')).toHaveText('launching');
  await expect(page.getByTestId('launch')).toBeDisabled();
});

test('without JavaScript the release pages and Verify Before Launch work as plain forms @no-js-only', async ({ page }) => {
  await signInAsDemo(page, '/releases');
  const names = await setUp(page);
  await newWebapp(page, names, unique('shop'));
  await expect(page.getByTestId('launch')).toBeDisabled();
  await page.getByRole('button', { name: 'Verify Before Launch' }).click();
  await expect(page).toHaveURL(/\?verified=1#report$/);
  await expect(report(page).getByTestId('verdict')).toContainText('Configuration valid');
  for (const c of CHECKS) {
    await expect(check(page, c)).toHaveAttribute('data-status', 'passed');
  }
  await expect(page.getByTestId('release-status')).toHaveText('validated');
  await expect(page.getByTestId('launch')).toBeEnabled();
});

test('a release form refused field by field keeps what was typed', async ({ page }) => {
  await signInAsDemo(page, '/releases');
  const names = await setUp(page);
  await page.goto('/releases/new?type=webapp');
  await page.getByLabel('Name (required)').fill('Not A Slug');
  await page.getByLabel('Organization (required)').selectOption({ label: names.org });
  await page.getByLabel('Domain (required)').fill('shop.example.com');
  await page.getByLabel('Route 53 hosted zone id (required)').fill('not-a-zone');
  await page.getByRole('button', { name: 'Create release' }).click();
  await expect(page.getByTestId('form-error')).toBeVisible();
  await expect(page.getByTestId('error-name')).toBeVisible();
  await expect(page.getByTestId('error-webapp.ses.hostedZoneId')).toBeVisible();
  await expect(page.getByLabel('Domain (required)')).toHaveValue('shop.example.com');
});
