// The playground in a real browser: Debian's chromium, headless, driven by
// playwright-core. `node --test playground/e2e.mjs` (CHROMIUM=/path overrides the
// browser; SCREENSHOT=/path.png where the screenshot goes, default /tmp).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { chromium } from 'playwright-core';

import { serve } from './serve.mjs';

const SAMPLE = readFileSync(new URL('../../../examples/sample-request.json', import.meta.url), 'utf8');
const SCREENSHOT = process.env.SCREENSHOT ?? join(tmpdir(), 'ims-playground.png');

let server;
let context;
let page;
let profileDir;
const pageErrors = [];

before(async () => {
  server = await serve(0);
  profileDir = mkdtempSync(join(tmpdir(), 'ims-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  // Nothing but the local server: any other request fails the test.
  await page.route('**/*', (route) =>
    route.request().url().startsWith(server.url) ? route.continue() : route.abort(),
  );
  await page.goto(`${server.url}playground/index.html`);
  await page.locator('#state[data-ready="1"]').waitFor({ timeout: 30_000 });
});

after(async () => {
  await context?.close();
  await server?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

async function typeBody(text) {
  const body = page.locator('#body');
  await body.fill('');
  await body.pressSequentially(text);
}

test('typing the sample body shows 201 and the record', async () => {
  await typeBody(SAMPLE);
  assert.equal(await page.locator('#body').inputValue(), SAMPLE);
  const verdict = page.locator('#verdict');
  assert.equal(await verdict.getAttribute('data-status'), '201');
  assert.match(await verdict.innerText(), /201 Created/);
  assert.equal(await page.locator('#violations li').count(), 0);
  assert.equal(await page.locator('#backdrop mark').count(), 0);
  const record = JSON.parse(await page.locator('#output').innerText());
  assert.equal(record.__platform, 'Ubuntu');
  assert.equal(record.id, '4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86');
  assert.equal(record.created_at, '2016-06-02T07:49:48Z');
  assert.deepEqual(record.tags, ['test', 'image']);
});

test('a broken body lists each violation with its pointer and highlights it', async () => {
  const broken = '{\n  "name": "bad/name",\n  "min_disk": 1,\n  "status": "active",\n  "tags": ["ok", 5]\n}';
  await typeBody(broken);
  const verdict = page.locator('#verdict');
  assert.equal(await verdict.getAttribute('data-status'), '403');
  assert.match(await verdict.innerText(), /403 Forbidden — 4 violations/);
  const items = page.locator('#violations li');
  const shown = await items.evaluateAll((lis) =>
    lis.map((li) => [li.dataset.pointer, li.dataset.code, li.dataset.found]),
  );
  assert.deepEqual(shown, [
    ['/name', 'bad_format', '1'],
    ['/min_disk', 'out_of_range', '1'],
    ['/status', 'read_only', '1'],
    ['/tags/1', 'wrong_type', '1'],
  ]);
  const marks = await page.locator('#backdrop mark').allTextContents();
  assert.deepEqual(marks, ['"name": "bad/name"', '"min_disk": 1', '"status": "active"', '5']);
  const problem = JSON.parse(await page.locator('#output').innerText());
  assert.equal(problem.status, 403);
  assert.deepEqual(problem.errors.map((e) => e.pointer), ['/name', '/min_disk', '/status', '/tags/1']);
  // Clicking a violation selects its text in the editor.
  await items.nth(1).click();
  const selected = await page.locator('#body').evaluate((t) => t.value.slice(t.selectionStart, t.selectionEnd));
  assert.equal(selected, '"min_disk": 1');
  await page.screenshot({ path: SCREENSHOT });
});

test('malformed JSON is a 400 verdict, not a page error', async () => {
  await typeBody('{"name": ');
  assert.equal(await page.locator('#verdict').getAttribute('data-status'), '400');
  assert.deepEqual(
    await page.locator('#violations li').evaluateAll((lis) => lis.map((li) => li.dataset.code)),
    ['malformed_json'],
  );
});

test('the profile and the language change the verdict live', async () => {
  // The body is still '{"name": ' (malformed): make it one that profiles judge apart.
  await typeBody('{"name": "a", "min_disk": 1}');
  assert.equal(await page.locator('#verdict').getAttribute('data-status'), '400');
  await page.selectOption('#profile', 'otc');
  assert.equal(await page.locator('#verdict').getAttribute('data-status'), '201');
  await page.selectOption('#profile', 'ims-2022');
  assert.equal(await page.locator('#verdict').getAttribute('data-status'), '400');
  await page.selectOption('#locale', 'zh-CN');
  assert.match(await page.locator('#violations').innerText(), /属性'min_disk'的取值为40～1024/);
  await page.selectOption('#locale', 'en');
  assert.deepEqual(pageErrors, []);
});

test('the update tab applies a patch and reports a refused one', async () => {
  await page.goto(`${server.url}playground/update.html`);
  await page.locator('#state[data-ready="1"]').waitFor({ timeout: 30_000 });
  const verdict = page.locator('#verdict');
  assert.equal(await verdict.getAttribute('data-status'), '200');
  const image = JSON.parse(await page.locator('#output').innerText());
  assert.equal(image.name, 'test01');
  assert.equal(image['login-user'], 'kvothe');
  assert.equal(image.updated_at, '2016-06-02T08:00:00Z');
  await page.locator('#patch').fill('[{"op": "replace", "path": "/min_disk", "value": 1}, {"op": "remove", "path": "/nope"}]');
  assert.equal(await verdict.getAttribute('data-status'), '403');
  assert.deepEqual(
    await page.locator('#violations li').evaluateAll((lis) => lis.map((li) => [li.dataset.pointer, li.dataset.code])),
    [['/0/path', 'not_updatable'], ['/1/path', 'conflict']],
  );
  await page.selectOption('#locale', 'zh-CN');
  assert.match(await page.locator('#output').innerText(), /"status": 403/);
  await page.screenshot({ path: SCREENSHOT.replace(/\.png$/, '-update.png') });
  await page.locator('#image').fill('{"name": 1}');
  assert.equal(await verdict.getAttribute('data-ok'), 'error');
  assert.deepEqual(pageErrors, []);
});

