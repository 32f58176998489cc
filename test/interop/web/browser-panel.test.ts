// The simulator's web panel in a real browser (Debian's chromium, driven by playwright-core):
// `faxvault sim --web` runs in real time; the page shows the idle LCD; the remote fax machine
// form sends a confidential letter to box 12; the waiting count rises and no page of the letter
// comes out (only the confidential reception list, as the appliance prints it); BOX 1 2 OK and
// the box's pass code pressed on the page's buttons print it; the tray's newest page has exactly
// the pixels sent. A screenshot of each step goes to .cache/test-output/web/ for a person.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { DEMO_SETTINGS, textPage } from '../../../sim/demo.ts';
import { encodePngBitmap } from '../../../host/image/png.ts';
import { firstDifferentRow, strideOf } from '../../../host/image/bitmap.ts';
import type { Bitmap } from '../../../host/image/bitmap.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const OUT = join(root, '.cache/test-output/web');
const tmp = mkdtempSync(join(tmpdir(), 'fv-browser-'));
const BOX = DEMO_SETTINGS.boxes[0];

let sim: ChildProcess;
let simLog = '';
let browser: Browser;
let page: Page;
let url = '';
let step = 0;

async function shot(name: string): Promise<void> {
  step++;
  await page.screenshot({ path: join(OUT, `${String(step).padStart(2, '0')}-${name}.png`) });
}

/** The letter the remote machine sends: text and a frame, fine resolution, A4 width. */
function letter(): Bitmap {
  const b = textPage(['CONFIDENTIAL - FOR BOX ' + BOX.number, '', 'Sent from the web panel', 'by the remote fax machine.', '', 'faxvault browser test'], 320);
  const s = strideOf(b.width);
  for (let y = 250; y < 310; y++) for (let x = 100; x < 1600; x++) {
    if (y < 254 || y > 305 || x < 104 || x > 1595) b.data[y * s + (x >> 3)] |= 0x80 >> (x & 7);
  }
  return b;
}

// The functions that run in the browser are given as source text: the host program's type check
// has no DOM types.

/** The pixels of tray page n as the browser decoded its image (black where darker than mid-grey). */
async function trayPixels(n: number): Promise<Bitmap> {
  const r = await page.evaluate(`(async (k) => {
    const img = document.querySelector('.sheet[data-page="' + k + '"] img');
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    const stride = (c.width + 7) >> 3;
    const bits = new Array(stride * c.height).fill(0);
    for (let y = 0; y < c.height; y++) for (let x = 0; x < c.width; x++) {
      if (d[(y * c.width + x) * 4] < 128) bits[y * stride + (x >> 3)] |= 0x80 >> (x & 7);
    }
    return { width: c.width, height: c.height, bits };
  })(${n})`) as { width: number; height: number; bits: number[] };
  return { width: r.width, height: r.height, xDpi: 204, yDpi: 196, data: Uint8Array.from(r.bits) };
}

async function trayPages(): Promise<number[]> {
  return page.$$eval('.sheet:not(.printing)', (els) => els.map((e) => Number(e.getAttribute('data-page'))));
}

async function lcd(): Promise<string[]> {
  return [await page.textContent('#lcd-0') ?? '', await page.textContent('#lcd-1') ?? ''];
}

async function waitLcd(re: RegExp, timeout = 15000): Promise<void> {
  await page.waitForFunction(`new RegExp(${JSON.stringify(re.source)}).test(
    document.getElementById('lcd-0').textContent + '|' + document.getElementById('lcd-1').textContent)`, null, { timeout });
}

async function press(keys: string): Promise<void> {
  for (const k of keys.split(' ')) {
    await page.getByRole('button', { name: k, exact: true }).click();
    await page.waitForTimeout(250);
  }
}

test.before(async () => {
  const setup = spawnSync(process.execPath, [join(root, 'test/setup/40-chromium.mjs')], { encoding: 'utf8' });
  assert.is(setup.status, 0, setup.stderr);
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  // The demo settings as they are (box, pass code), answering on the first ring.
  const cfg = join(tmp, 'settings.json');
  writeFileSync(cfg, JSON.stringify({ ...DEMO_SETTINGS, fax: { ...DEMO_SETTINGS.fax, ringsBeforeAnswer: 1 } }));
  sim = spawn(process.execPath, [join(root, 'bin/faxvault.js'), 'sim', '--web', '127.0.0.1:0', '--config', cfg, '--seed', 'browser'], { cwd: root });
  sim.stderr!.on('data', (d) => { simLog += d; });
  url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no web panel URL within 60 s: ' + simLog)), 60000);
    sim.stdout!.on('data', (d) => {
      simLog += d;
      const m = /web panel: (http:\/\/\S+)/.exec(simLog);
      if (m) { clearTimeout(t); resolve(m[1]); }
    });
    sim.on('exit', (code) => reject(new Error(`faxvault sim exited (${code}): ${simLog}`)));
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
});

test.after(async () => {
  if (browser) await browser.close();
  if (sim && sim.exitCode === null) sim.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
});

test('the page shows the appliance idle: the LCD text as on the board, an empty tray', async () => {
  await page.goto(url);
  await waitLcd(/IDLE/);
  const [l0, l1] = await lcd();
  assert.is(l0.length, 20);
  assert.match(l0, /^\d\d\.\d\d\. \d\d:\d\d:\d\d IDLE$/);
  assert.match(l1, /^MEM \d+%  CONF 0\s*$/);
  assert.is(await page.textContent(`#boxes tr[data-box="${BOX.number}"] .waiting`), '0');
  assert.equal(await trayPages(), []);
  await shot('idle');
});

const sent = letter();

test('the remote machine sends a confidential letter: the waiting count rises, none of it prints', async () => {
  const file = join(tmp, 'letter.png');
  writeFileSync(file, encodePngBitmap(sent));
  await page.setInputFiles('#remote-file', file);
  await page.fill('#remote-sub', BOX.number);
  await shot('remote-form');
  await page.click('#remote-send');
  await page.waitForFunction(`/receiving/.test(document.getElementById('call-phase').textContent)`, null, { timeout: 60000 });
  await page.waitForFunction(`/^\\d+ bit\\/s$/.test(document.getElementById('call-rate').textContent)`, null, { timeout: 30000 });
  await shot('receiving');
  await page.waitForFunction(`document.querySelector('#boxes tr[data-box="${BOX.number}"] .waiting').textContent === '1'`, null, { timeout: 120000 });
  assert.is(await page.textContent('#waiting'), '1');
  await waitLcd(/CONF 1/);
  // The appliance prints the confidential reception list (a notice, never the document):
  // whatever is in the tray, no page of it is the letter.
  await page.waitForTimeout(3000);
  for (const n of await trayPages()) {
    const p = await trayPixels(n);
    assert.ok(p.height !== sent.height || firstDifferentRow(sent, p) !== -1, `tray page ${n} is not the letter`);
  }
  assert.match(await page.textContent('#remote-results') ?? '', /letter.png to SUB \d+: ok/);
  const journal = await page.textContent('#journal') ?? '';
  assert.ok(journal.includes(`call (confidential, box ${BOX.number}): ok`), journal);
  assert.not.ok(journal.includes('5550123'), 'the sender of a confidential fax is not shown');
  await shot('waiting');
});

test('BOX, the box number, OK and the pass code on the page\'s buttons print it: the same pixels', async () => {
  const before = (await trayPages()).length;
  await press(`BOX ${BOX.number.split('').join(' ')} OK`);
  await waitLcd(new RegExp(`Box ${BOX.number} pass code`));
  await press(BOX.code.split('').join(' '));
  await waitLcd(/> \*+/);
  await shot('pass-code');
  await press('OK');
  await page.waitForFunction(`document.querySelectorAll('.sheet:not(.printing)').length > ${before}`, null, { timeout: 60000 });
  const newest = Math.max(...await trayPages());
  const got = await trayPixels(newest);
  assert.is(`${got.width}x${got.height}`, `${sent.width}x${sent.height}`);
  assert.is(firstDifferentRow(sent, got), -1, 'the printed page has the pixels sent');
  // Newest on top.
  assert.is(await page.$eval('#tray .sheet', (e) => Number(e.getAttribute('data-page'))), newest);
  await shot('printed');
  await page.click(`#tray .sheet[data-page="${newest}"]`);
  await page.waitForSelector('#zoom:not([hidden])');
  await shot('enlarged');
  await page.click('#zoom');
});

test('the simulator ends cleanly on SIGTERM', async () => {
  const code = await new Promise<number | null>((resolve) => {
    sim.once('exit', (c) => resolve(c));
    sim.kill('SIGTERM');
  });
  assert.is(code, 0, simLog.slice(-2000));
});

test.run();
