// The harness's own parsing, without a call (fast): faxpeer's RESULT line, PBM streams, page
// comparison, and efax's frame log.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { efaxFrameBit, efaxReceivedFrames, parseResultLine } from './harness.ts';
import { diffBitmaps, readPbmStream, type Bitmap } from './pages.ts';

test('parseResultLine reads every field and decodes percent-escaped values', () => {
  const r = parseResultLine('RESULT status=0 (OK) pages=2 rate=9600 ecm=1 coding=MMR width=1728 length=2200 '
    + 'xres=8031 yres=7700 sub=12%2034 pwd=s%3Dcret remote=+49%2030%205550100 duration=31.5', 0);
  assert.equal(r, {
    status: 0, text: 'OK', pages: 2, rate: 9600, ecm: true, coding: 'MMR', width: 1728, length: 2200,
    xres: 8031, yres: 7700, sub: '12 34', pwd: 's=cret', remote: '+49 30 5550100', duration: 31.5, exitCode: 0,
  });
  const bad = parseResultLine('RESULT status=-1 (not connected) pages=0 rate=0 ecm=0 coding=none');
  assert.is(bad.status, -1);
  assert.is(bad.text, 'not connected');
  assert.is(bad.remote, '');
  assert.throws(() => parseResultLine('PTY /dev/pts/3'));
});

test('readPbmStream splits concatenated raw PBM images', () => {
  const one = Buffer.concat([Buffer.from('P4\n# c\n10 2\n'), Buffer.from([0xff, 0xc0, 0x00, 0x40])]);
  const two = Buffer.concat([Buffer.from('P4 8 1\n'), Buffer.from([0x81])]);
  const pages = readPbmStream(Buffer.concat([one, two]));
  assert.is(pages.length, 2);
  assert.equal([pages[0].width, pages[0].height, [...pages[0].rows]], [10, 2, [0xff, 0xc0, 0x00, 0x40]]);
  assert.equal([pages[1].width, pages[1].height, [...pages[1].rows]], [8, 1, [0x81]]);
});

test('diffBitmaps finds equal pages, skipped header rows and differing rows', () => {
  const page: Bitmap = { width: 8, height: 3, rows: Uint8Array.from([1, 2, 3]) };
  assert.is(diffBitmaps(page, { width: 8, height: 3, rows: Uint8Array.from([1, 2, 3]) }), null);
  assert.is(diffBitmaps(page, { width: 8, height: 4, rows: Uint8Array.from([0, 1, 2, 3]) }, { skipTop: 1 }), null);
  assert.is(diffBitmaps(page, { width: 8, height: 3, rows: Uint8Array.from([1, 9, 3]) }), '1 of 3 rows differ, first at row 1');
  assert.match(diffBitmaps(page, { width: 8, height: 2, rows: Uint8Array.from([1, 2]) }) ?? '', /height 2/);
});

test('efaxReceivedFrames collects wrapped hex lines; efaxFrameBit numbers bits as T.30 does', () => {
  const log = [
    'efax: 35:24 response "OK"',
    'efax: 35:24 received 15 bytes:',
    'efax: 35:24  ff c8 01 00 77 5f 23 01 89 c1 01 01 18 55 8b',
    'efax: 35:24 received DIS - answering capabilities',
    'efax: 35:25 received 5 bytes: ff c8 31 45 8f',
    'efax: 35:25 received MCF - page OK',
  ].join('\n');
  const frames = efaxReceivedFrames(log);
  assert.equal(frames.map((f) => f.name), ['DIS', 'MCF']);
  assert.is(frames[0].bytes.length, 15);
  assert.ok(efaxFrameBit(frames[0].bytes, 10));   // 0x77: receiver
  assert.not.ok(efaxFrameBit(frames[0].bytes, 9)); // no document to poll
  assert.ok(efaxFrameBit(frames[0].bytes, 49));
  assert.ok(efaxFrameBit(frames[0].bytes, 50));
  assert.not.ok(efaxFrameBit(frames[0].bytes, 51));
});

test.run();
