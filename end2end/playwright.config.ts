// Playwright against the real portal in Debian's Chromium (never a downloaded browser).
// `make test` starts the local AWS and the built portal and sets PORTAL_URL.
import { defineConfig } from '@playwright/test';

const baseURL = process.env.PORTAL_URL ?? 'http://127.0.0.1:3000';
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  reporter: [['list']],
  timeout: 30_000,
  use: { baseURL, trace: 'retain-on-failure', launchOptions: chromium },
  projects: [
    // Every page test runs twice: progressive enhancement stays real.
    // @js-only needs hydration; @no-js-only checks the plain-HTML fallback; @once is not a page test.
    { name: 'js', use: { javaScriptEnabled: true }, grepInvert: /@no-js-only/ },
    { name: 'no-js', use: { javaScriptEnabled: false }, grepInvert: /@js-only|@once/ },
  ],
});
