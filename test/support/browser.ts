import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Browser tests drive the Debian Chromium through playwright-core (no browser download). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WEB_SRC = path.join(ROOT, 'src/web');
const WEB_INDEX = path.join(ROOT, 'dist/web/index.html');
const BUILD_LOCK = path.join(ROOT, 'dist/.web-build.lock');

/** Screenshots and other artefacts of browser tests (ignored by git). */
export const RESULTS_DIR = path.join(ROOT, 'test-results');

export function chromiumAvailable(): boolean {
  try {
    fs.accessSync(CHROMIUM_PATH, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a browser suite runs. Without Chromium it is skipped with a line on stderr saying why — unless
 * PASSEUR_TEST_REQUIRE_ALL=1, where it runs and fails (launchBrowser throws).
 */
export function browserSuiteEnabled(suite: string): boolean {
  if (chromiumAvailable()) return true;
  if (process.env.PASSEUR_TEST_REQUIRE_ALL === '1') return true;
  process.stderr.write(
    `\n[passeur tests] ${suite}: skipped — Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium); ` +
      'set PASSEUR_TEST_REQUIRE_ALL=1 to make this a failure\n',
  );
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  if (!chromiumAvailable()) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: browser tests cannot run (PASSEUR_TEST_REQUIRE_ALL=1)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function webBuildIsFresh(): boolean {
  try {
    return fs.statSync(WEB_INDEX).mtimeMs >= newestSource(WEB_SRC);
  } catch {
    return false;
  }
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${out}`)),
    );
  });
}

/**
 * The server serves dist/web: builds it when missing or older than its sources. Test files running in
 * parallel build it once (a lock directory), the others wait for that build.
 */
export async function ensureWebBuild(): Promise<void> {
  if (webBuildIsFresh()) return;
  fs.mkdirSync(path.dirname(BUILD_LOCK), { recursive: true });
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(BUILD_LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // Someone else builds; a lock older than 5 minutes is left over from an interrupted run.
      try {
        if (Date.now() - fs.statSync(BUILD_LOCK).mtimeMs > 5 * 60_000) fs.rmdirSync(BUILD_LOCK);
      } catch {}
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${BUILD_LOCK}`);
      await new Promise((r) => setTimeout(r, 250));
      if (webBuildIsFresh()) return;
    }
  }
  try {
    if (!webBuildIsFresh()) await run('npm', ['run', 'build:web']);
  } finally {
    fs.rmdirSync(BUILD_LOCK);
  }
}

/** The demo people's password (the demo organization is seeded in every test server). */
const DEMO_PASSWORD = 'passeur-demo';

/**
 * A browser page for one person: Swiss French locale and time zone (as the demo's people), script errors and
 * Content-Security-Policy violations collected in `errors`.
 */
export async function newPersonPage(
  browser: Browser,
  errors: string[],
  opts: { locale?: string; viewport?: { width: number; height: number } } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    locale: opts.locale ?? 'fr-CH',
    timezoneId: 'Europe/Zurich',
    viewport: opts.viewport ?? { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  // Shorter than a test's own timeout, so a step that hangs says which element it waited for.
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) errors.push(`csp: ${m.text()}`);
  });
  return { context, page };
}

/** Signs in through the login form and waits for the inbox. */
export async function signIn(page: Page, base: string, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${base}/login`);
  await page.fill('#login-email', email);
  await page.fill('#login-password', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('.inbox');
}

/** A screenshot in RESULTS_DIR. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(RESULTS_DIR, name) });
}
