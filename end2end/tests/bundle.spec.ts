// The browser bundle must not contain server-only code or secrets.
import { expect, test } from '@playwright/test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const siteRoot = process.env.PORTAL_SITE_ROOT ?? join(__dirname, '..', '..', 'target', 'site');

function bundleFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return bundleFiles(path);
    return /\.(wasm|js)$/.test(name) ? [path] : [];
  });
}

test('the built .wasm and .js carry no server-only code or keys @once', async () => {
  const files = bundleFiles(join(siteRoot, 'pkg'));
  expect(files.some((f) => f.endsWith('.wasm'))).toBe(true);
  expect(files.some((f) => f.endsWith('.js'))).toBe(true);
  for (const file of files) {
    const text = readFileSync(file).toString('latin1');
    for (const needle of ['amazonaws', 'aws-sdk', 'aws_sdk', 'custom:apikey', 'rusqlite', 'jsonwebtoken']) {
      expect(text.includes(needle), `${file} contains ${needle}`).toBe(false);
    }
    expect(/sk_[0-9a-f]{32}/.test(text), `${file} contains something shaped like an API key`).toBe(false);
  }
});
