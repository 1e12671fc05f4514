// test-web-page.mjs — the web upload page in headless Chromium against a real bookimg-server
//
// Usage (tests/meson.build runs it): node test-web-page.mjs
// Environment: BOOKIMG_SERVER (the server binary), BOOKIMG_WEB_TEST_PHOTOS (the helper that
// writes the photos and the catalog), BOOKIMG_WEB_NODE_DIR (where tests/web/install.sh puts
// playwright-core), BOOKIMG_WEB_INSTALL (that script), BOOKIMG_SCREENSHOT_DIR.
//
// Everything runs on 127.0.0.1. Missing Chromium or playwright-core is a failure, not a skip.
// Waits are for conditions in the page (with generous deadlines), never fixed sleeps.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];
const TOKEN = 'web-test-token-0123456789abcdef';
const SCAN_TIMEOUT = 180_000; // OCR of a few photos on a loaded 2-core machine
const EXPECTED_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; "
  + "img-src 'self' blob: data:; connect-src 'self' ws: wss:; base-uri 'none'; "
  + "form-action 'none'; frame-ancestors 'none'";

function required (name) {
  const value = process.env[name];
  if (!value)
    throw new Error (`${name} is not set; run this test with \`meson test web-page\`.`);
  return value;
}

function step (text) {
  console.log (`# ${text}`);
}

// ---- setup --------------------------------------------------------------------------------------

const work = mkdtempSync (join (tmpdir (), 'bookimg-web-test-'));
const photos = join (work, 'photos');
const screenshotDir = required ('BOOKIMG_SCREENSHOT_DIR');
const servers = new Set ();

if (!existsSync (CHROMIUM))
  throw new Error (`${CHROMIUM} is missing: run build-aux/install-deps test (Debian package chromium).`);
execFileSync (required ('BOOKIMG_WEB_INSTALL'), [required ('BOOKIMG_WEB_NODE_DIR')],
              { stdio: ['ignore', 'inherit', 'inherit'] });
const { chromium } = createRequire (join (required ('BOOKIMG_WEB_NODE_DIR'), 'package.json')) (
  'playwright-core');
execFileSync (required ('BOOKIMG_WEB_TEST_PHOTOS'), [photos], { stdio: 'inherit' });
mkdirSync (screenshotDir, { recursive: true });

// ---- the server ---------------------------------------------------------------------------------

// Starts bookimg-server and resolves with its URL (its first stdout line).
function startServer ({ dataDir, port = 0, extra = [] }) {
  const args = ['--data-dir', dataDir, '--listen', `127.0.0.1:${port}`,
    '--catalog', join (photos, 'catalog.tsv'), '--ocr-workers', '1', ...extra];
  const child = spawn (required ('BOOKIMG_SERVER'), args, {
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  servers.add (child);
  child.stderr.on ('data', (data) => process.stderr.write (`[server] ${data}`));
  child.on ('exit', () => servers.delete (child));
  return new Promise ((resolve, reject) => {
    const lines = createInterface ({ input: child.stdout });
    const timer = setTimeout (() => reject (new Error ('bookimg-server did not listen')), 60_000);
    lines.once ('line', (line) => {
      clearTimeout (timer);
      const match = /^listening on (http:\/\/[^ ]+)$/.exec (line);
      if (!match)
        reject (new Error (`unexpected first line from bookimg-server: ${line}`));
      else
        resolve ({ child, url: match[1], port: Number (new URL (match[1]).port) });
    });
    child.once ('exit', (code) => reject (new Error (`bookimg-server exited (${code}) before listening`)));
  });
}

function stopServer (server, signal = 'SIGTERM') {
  return new Promise ((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      resolve ();
      return;
    }
    server.child.once ('exit', () => resolve ());
    server.child.kill (signal);
  });
}

// ---- the browser -------------------------------------------------------------------------------

const context = await chromium.launchPersistentContext (join (work, 'profile'), {
  executablePath: CHROMIUM,
  headless: true,
  args: CHROMIUM_FLAGS,
  acceptDownloads: true,
  viewport: { width: 1280, height: 900 },
});
// Only 127.0.0.1: anything else the page (or Chromium) asks for is refused and reported.
const offsite = [];
await context.route ((url) => url.hostname !== '127.0.0.1', (route) => {
  offsite.push (route.request ().url ());
  return route.abort ();
});
// CSP violations are reported to the page itself; an init script (run by the browser, not by
// the page, so the policy does not apply to it) keeps them.
await context.addInitScript (() => {
  window.__cspViolations = [];
  document.addEventListener ('securitypolicyviolation', (event) => {
    window.__cspViolations.push (`${event.violatedDirective} ${event.blockedURI}`);
  });
});

const consoleErrors = [];
let phase = 'normal';
function watch (page) {
  page.on ('console', (message) => {
    if (message.type () === 'error')
      consoleErrors.push ({ phase, text: message.text () });
  });
  page.on ('pageerror', (error) => consoleErrors.push ({ phase, text: `uncaught: ${error.message}` }));
}

async function assertNoCspViolations (page) {
  const violations = await page.evaluate (() => window.__cspViolations);
  assert.deepEqual (violations, [], 'the page broke its Content-Security-Policy');
}

/* page.waitForFunction of playwright-core before 1.50 (the version for Debian's Node.js 18)
 * evaluates its polling wrapper as a string, which the page's CSP rightly forbids; evaluate()
 * calls a function over the protocol instead, so poll with it. */
async function waitForPage (page, predicate, arg, timeout) {
  const deadline = Date.now () + timeout;
  while (!(await page.evaluate (predicate, arg))) {
    if (Date.now () > deadline)
      throw new Error (`timed out after ${timeout} ms waiting for ${predicate}`);
    await new Promise ((resolve) => setTimeout (resolve, 50));
  }
}

async function waitForJobs (page, count, status) {
  await waitForPage (page, ([n, s]) =>
    document.querySelectorAll (`#job-list li.job[data-status="${s}"]`).length >= n,
  [count, status], SCAN_TIMEOUT);
}

async function tableTitles (page) {
  return page.$$eval ('#books-table tbody tr', (rows) =>
    rows.map ((row) => row.cells[0].textContent));
}

async function jobState (page, fileName) {
  return page.$$eval ('#job-list li.job', (items, name) => items
    .filter ((item) => item.querySelector ('.job-name').textContent === name)
    .map ((item) => ({
      status: item.dataset.status,
      stage: item.dataset.stage,
      books: [...item.querySelectorAll ('.book-list .book-title')].map ((b) => b.textContent),
      unresolved: [...item.querySelectorAll ('.spine-list q')].map ((q) => q.textContent),
      error: item.querySelector ('.job-error').textContent,
    })), fileName);
}

async function download (page, button) {
  const [file] = await Promise.all ([page.waitForEvent ('download'), page.click (button)]);
  return readFileSync (await file.path (), 'utf8');
}

let failed = false;
try {
  const dataDir = join (work, 'data');
  let server = await startServer ({ dataDir });
  const page = await context.newPage ();
  watch (page);

  // ---- the page and its headers --------------------------------------------------------------
  step (`page at ${server.url}`);
  const response = await page.goto (`${server.url}/`);
  assert.equal (response.status (), 200);
  const headers = response.headers ();
  assert.equal (headers['content-security-policy'], EXPECTED_CSP);
  assert.equal (headers['x-content-type-options'], 'nosniff');
  assert.equal (headers['referrer-policy'], 'no-referrer');
  assert.match (headers['content-type'], /^text\/html/);
  await page.waitForSelector ('#connection-status[data-state="online"]');

  // Keyboard: the first stops are the skip link and the photo picker.
  await page.keyboard.press ('Tab');
  assert.equal (await page.evaluate (() => document.activeElement.className), 'skip-link');
  await page.keyboard.press ('Tab');
  assert.equal (await page.evaluate (() => document.activeElement.id), 'photo-input');

  // ---- two photos: books per photo and one de-duplicated table ------------------------------
  step ('upload two photos');
  await page.setInputFiles ('#photo-input', [join (photos, 'shelf-1.png'), join (photos, 'shelf-2.png')]);
  const jobIds = await page.$$eval ('#job-list li.job', (items) => items.map ((i) => i.dataset.jobId));
  assert.equal (jobIds.length, 2);
  for (const id of jobIds)
    assert.match (id, /^job-[0-9]{13}-[a-z0-9]{24}$/);
  await waitForJobs (page, 2, 'complete');

  const [first] = await jobState (page, 'shelf-1.png');
  assert.deepEqual ([...first.books].sort (), ['Dune', 'Emma', 'The Hobbit']);
  const [second] = await jobState (page, 'shelf-2.png');
  assert.ok (second.books.includes ('Dune') && second.books.includes ('Emma'),
    `second photo: ${JSON.stringify (second)}`);
  assert.ok (second.unresolved.some ((text) => /WOMBAT/i.test (text)),
    `the unknown spine is listed with its text: ${JSON.stringify (second.unresolved)}`);
  assert.deepEqual ((await tableTitles (page)).sort (), ['Dune', 'Emma', 'The Hobbit'],
    'each book once in the combined table');

  // ---- downloads -----------------------------------------------------------------------------
  step ('download CSV and JSON');
  const csv = await download (page, '#download-csv');
  const lines = csv.split ('\r\n');
  assert.equal (lines[0], 'title,authors,year,isbn13,confidence,source,source_id,photo,position,'
    + 'ocr_text,merged_from,sightings');
  assert.equal (lines.at (-1), '', 'CRLF after the last record');
  assert.equal (lines.length, 5, `header + 3 books: ${JSON.stringify (csv)}`);
  assert.ok (!/[^\r]\n/.test (csv), 'every line ends in CRLF');
  const hobbit = lines.find ((line) => line.startsWith ('The Hobbit,'));
  assert.match (hobbit, /^The Hobbit,J\.R\.R\. Tolkien,1937,9780618260300,[01]\.\d\d,catalog,/);
  const dune = lines.find ((line) => line.startsWith ('Dune,'));
  assert.match (dune, /,2,shelf-[12]\.png#\d+; shelf-[12]\.png#\d+$/, 'Dune merged from both photos');
  const json = JSON.parse (await download (page, '#download-json'));
  assert.equal (json.books.length, 3);
  assert.equal (json.photos.length, 2);

  // ---- server text is text, never markup -----------------------------------------------------
  step ('hostile titles are shown as text');
  // Published straight to the topic (the embedded SNS Publish), finished before the page
  // knows the job: the page picks it up when it subscribes and fetches the job's result.
  const evilJob = `job-${Date.now ()}-evilevilevilevilevilevil`;
  const evilTitle = '<img src=x onerror="window.__xss=1">Evil & Co';
  const published = await fetch (`${server.url}/@topic`, {
    method: 'POST',
    body: JSON.stringify ({
      jobId: evilJob, status: 'complete', validatedBooks: 1, totalCandidates: 2,
      books: [{ title: evilTitle, authors: ['<b>Mallory</b>'], year: 2020,
        isbn13: '9780000000002', confidence: 0.9, source: 'catalog', sourceId: 'x',
        evidence: { text: '<script>window.__xss=2</script>', bbox: [0, 0, 1, 1], position: 0, angle: 90 } }],
      unresolved: [{ text: '<svg onload="window.__xss=3">', bbox: [0, 0, 1, 1], position: 1 }],
      timestamp: new Date ().toISOString (),
    }),
  });
  assert.equal (published.status, 200, await published.text ());
  for (let tries = 0; ; tries++) {
    const stored = await fetch (`${server.url}/results/${evilJob}`);
    if (stored.status === 200)
      break;
    assert.ok (tries < 600, `the published result was not stored: ${stored.status}`);
    await new Promise ((resolve) => setTimeout (resolve, 100)); // polling the server, not the page
  }
  await page.evaluate ((id) => {
    const jobs = JSON.parse (localStorage.getItem ('bookimg.jobs.v1'));
    jobs.push ({ jobId: id, fileName: '<i>evil</i>.png', contentType: 'image/png', size: 1,
      addedAt: new Date ().toISOString (), status: 'processing', stage: null, stageState: null,
      lastSeq: null, uploaded: true, results: null, error: null });
    localStorage.setItem ('bookimg.jobs.v1', JSON.stringify (jobs));
  }, evilJob);
  await page.reload ();
  await waitForJobs (page, 3, 'complete');
  const [evil] = await jobState (page, '<i>evil</i>.png');
  assert.deepEqual (evil.books, [evilTitle]);
  assert.deepEqual (evil.unresolved, ['<svg onload="window.__xss=3">']);
  assert.ok ((await tableTitles (page)).includes (evilTitle));
  assert.equal (await page.evaluate (() => window.__xss), undefined);
  assert.equal (await page.locator ('main img[src="x"], main svg, main b, main i').count (), 0);
  await page.click (`li.job[data-job-id="${evilJob}"] .job-remove`);
  assert.equal ((await tableTitles (page)).length, 3);

  // ---- a connection cut mid-job, and a reload while the job is pending ---------------------
  step ('restart the server holding the validation stage');
  phase = 'outage';
  await stopServer (server);
  await page.waitForSelector ('#connection-status[data-state="offline"]');
  server = await startServer ({ dataDir, port: server.port,
    extra: ['--test-hold-stage', 'validation'] });
  await page.waitForSelector ('#connection-status[data-state="online"]', { timeout: 60_000 });
  phase = 'normal';

  step ('upload a third photo; it stops before validation');
  await page.setInputFiles ('#photo-input', join (photos, 'shelf-3.png'));
  await waitForPage (page, () => {
    const item = [...document.querySelectorAll ('#job-list li.job')]
      .find ((li) => li.querySelector ('.job-name').textContent === 'shelf-3.png');
    return Boolean (item && /^(candidates:finished|validation:)/.test (item.dataset.stage));
  }, null, SCAN_TIMEOUT);

  step ('reload while it is pending');
  await page.reload ();
  await page.waitForSelector ('#connection-status[data-state="online"]');
  let [third] = await jobState (page, 'shelf-3.png');
  assert.equal (third.status, 'processing', 'the reloaded page still knows the pending job');

  step ('kill the server mid-job and start it again on the same port');
  phase = 'outage';
  await stopServer (server, 'SIGKILL');
  await page.waitForSelector ('#connection-status[data-state="offline"]');
  [third] = await jobState (page, 'shelf-3.png');
  assert.equal (third.status, 'processing');
  server = await startServer ({ dataDir, port: server.port });
  await page.waitForSelector ('#connection-status[data-state="online"]', { timeout: 60_000 });
  phase = 'normal';
  await waitForJobs (page, 3, 'complete');
  [third] = await jobState (page, 'shelf-3.png');
  assert.deepEqual ([...third.books].sort (), ['Emma', 'The Hobbit']);

  step ('a reload keeps every job and its books');
  await page.reload ();
  await page.waitForSelector ('#connection-status[data-state="online"]');
  await waitForJobs (page, 3, 'complete');
  assert.deepEqual ((await tableTitles (page)).sort (), ['Dune', 'Emma', 'The Hobbit']);

  await assertNoCspViolations (page);
  await page.screenshot ({ path: join (screenshotDir, 'web-page.png'), fullPage: true });

  step ('a phone-sized screen');
  await page.setViewportSize ({ width: 375, height: 740 });
  const overflow = await page.evaluate (() =>
    document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok (overflow <= 0, `the page scrolls sideways by ${overflow} px at 375 px`);
  await page.screenshot ({ path: join (screenshotDir, 'web-page-phone.png'), fullPage: true });
  await page.close ();
  await stopServer (server);

  // ---- the access token --------------------------------------------------------------------
  step ('a server with an access token');
  phase = 'token';
  const tokenServer = await startServer ({ dataDir: join (work, 'token-data'),
    extra: ['--access-token', TOKEN] });
  const tokenPage = await context.newPage ();
  watch (tokenPage);
  await tokenPage.goto (`${tokenServer.url}/`);
  await tokenPage.waitForSelector ('#token-dialog[open]');
  assert.equal (await tokenPage.evaluate (() => document.activeElement.id), 'token-input');
  await tokenPage.fill ('#token-input', TOKEN);
  await tokenPage.click ('#token-dialog button[type="submit"]');
  await tokenPage.waitForSelector ('#connection-status[data-state="online"]');
  phase = 'normal';
  await tokenPage.setInputFiles ('#photo-input', join (photos, 'shelf-3.png'));
  await waitForJobs (tokenPage, 1, 'complete');
  await tokenPage.reload ();
  await tokenPage.waitForSelector ('#connection-status[data-state="online"]');
  assert.equal (await tokenPage.locator ('#token-dialog[open]').count (), 0,
    'the token is asked once and kept');
  await assertNoCspViolations (tokenPage);
  await tokenPage.close ();
  await stopServer (tokenServer);

  // ---- the console -------------------------------------------------------------------------
  // Expected: refused connections while the server was down, the 401s that asked for the token.
  const allowed = {
    outage: /WebSocket connection to .* failed|ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE|Failed to load resource/,
    token: /status of 401|WebSocket connection to .* failed/,
  };
  const unexpected = consoleErrors.filter ((e) => !(allowed[e.phase]?.test (e.text)));
  assert.deepEqual (unexpected, [], 'no console errors');
  assert.deepEqual (offsite, [], 'no request left 127.0.0.1');
  step (`screenshots in ${screenshotDir}`);
} catch (error) {
  failed = true;
  console.error (error);
  for (const page of context.pages ()) {
    await page.screenshot ({ path: join (screenshotDir, 'web-page-failure.png'), fullPage: true })
      .catch (() => {});
  }
  console.error ('console errors:', JSON.stringify (consoleErrors, null, 1));
} finally {
  await context.close ();
  for (const child of servers)
    child.kill ('SIGKILL');
  rmSync (work, { recursive: true, force: true });
}

console.log (failed ? 'FAIL web-page' : 'ok web-page');
process.exit (failed ? 1 : 0);
