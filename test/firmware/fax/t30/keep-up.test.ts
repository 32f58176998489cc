// Keeping up with the line on a slow board (docs/FAX-LINE.md): received page data is stored
// first and checked cheaply (an EOL/RTC line scan) while the full decode runs in slices behind
// the line and is dropped when it falls too far behind; stored pages go out as they are coded.
// In virtual time on the emulated line, with a dense ghostscript text page.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimRig, pageOf, decode, encodePage, sameBitmap, testPage } from './sim-rig.ts';
import type { Bitmap } from './sim-rig.ts';
import type { SendPage } from '../../../../firmware/fax/t30/index.ts';
import { LineScanner } from '../../../../firmware/fax/t4/line-scan.ts';
import { denseTextPages } from '../../../../scripts/fax/dense-pages.ts';

const text: Bitmap = denseTextPages(1)[0];

function call(page: SendPage, o: { ecm?: boolean; rxBacklog?: number; faults?: any }) {
  const rig = new SimRig({ faults: o.faults });
  const a = rig.station('100', { caps: { ecm: !!o.ecm } });
  const b = rig.station('200', { caps: { ecm: !!o.ecm } });
  if (o.rxBacklog !== undefined) (b.fax.opts as { rxDecodeBacklog?: number }).rxDecodeBacklog = o.rxBacklog;
  rig.runUntil(() => a.fax.ready && b.fax.ready, 5000);
  a.fax.send({ number: '200', pages: [page] });
  rig.runUntil(() => a.journal.length > 0 && b.journal.length > 0, 3600000);
  const why = () => '\n--- sender\n' + a.trace().slice(-30).join('\n') + '\n--- receiver\n' + b.trace().slice(-30).join('\n');
  return { a, b, why };
}

test('the line scan counts the lines and finds RTC of MH and MR pages without decoding them', () => {
  for (const c of ['mh', 'mr'] as const) {
    const data = encodePage(text, c);
    const s = new LineScanner(1728, c === 'mr');
    for (let i = 0; i < data.length; i += 100) s.push(data.subarray(i, i + 100)); // any piece size
    assert.is(s.lines, text.height, c);
    assert.ok(s.rtc, c + ': RTC');
    assert.is(s.badLines, 0, c);
  }
  // white rows in MH (make-up 1728 + terminating 0, T.4 Tables 1/2) with a 3-bit "line" between
  // two EOLs (a false EOL cuts a line so): 3 lines, 1 bad, then RTC
  const EOL = '000000000001';
  const WHITE = '010011011' + '00110101';
  const bits = EOL + WHITE + EOL + '101' + EOL + WHITE + EOL.repeat(6);
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits[i] === '1') out[i >> 3] |= 1 << (i & 7); // line order: LSB first
  const s = new LineScanner(1728, false);
  s.push(out);
  assert.equal([s.lines, s.badLines, s.maxBadRun, s.rtc], [3, 1, 1, true]);
});

test('a decode that cannot keep up (a slow board; here one allowed no octets behind): the page is judged by the line scan, confirmed, stored whole', () => {
  const { a, b, why } = call(pageOf(text), { rxBacklog: 0 });
  assert.is(a.journal[0]?.result, 'ok', why());
  assert.is(b.journal[0]?.result, 'ok', why());
  assert.match(b.trace().join('\n'), /judged by the line scan/);
  assert.match(b.trace().join('\n'), new RegExp(`page 1: ${text.height} lines, 0 bad`));
  const s = b.stored[0];
  assert.ok(s.confirmed);
  assert.is(sameBitmap(text, decode(s.data, s.info.coding).bitmap), null);
});

test('when the decode keeps up it is the judge (bit errors are seen: RTN, as before)', () => {
  const bytes = Array.from({ length: 40 }, (_, i) => 300 + i * 97);
  const { a, b, why } = call(pageOf(testPage(3, 220)), { faults: { bitErrors: [{ page: 1, bytes }] } });
  const t = b.trace().join('\n');
  assert.not.match(t, /judged by the line scan/, why());
  assert.match(a.trace().join('\n'), /<- RTN/, why());
});

/** A page that offers its coded data as stored, counting how often its rows are read. */
function storedPage(b: Bitmap, coding: 'mh' | 'mr' | 'mmr'): SendPage & { rowsOpened: number; codedOpened: number } {
  const data = encodePage(b, coding);
  const rows = pageOf(b);
  const p = {
    width: b.width,
    fine: true,
    rowsOpened: 0,
    codedOpened: 0,
    open() {
      p.rowsOpened++;
      return rows.open!();
    },
    coded(c: string, fine: boolean, width: number) {
      if (c !== coding || !fine || width !== b.width) return null;
      p.codedOpened++;
      let at = 0;
      return { next: () => (at < data.length ? data.subarray(at, (at += 700)) : null) };
    },
  };
  return p;
}

test('a stored page in the negotiated coding goes out as stored (no coding at line rate), with and without ECM', () => {
  for (const [ecm, coding] of [[false, 'mr'], [true, 'mmr']] as const) {
    const page = storedPage(text, coding);
    const { a, b, why } = call(page, { ecm });
    assert.is(a.journal[0]?.result, 'ok', why());
    assert.equal([page.codedOpened, page.rowsOpened], [1, 0], `${coding}: read as stored, rows never opened`);
    assert.match(a.trace().join('\n'), /page 1 sent: as stored|ECM block/);
    assert.equal([...b.stored[0].data.subarray(0, 64)], [...encodePage(text, coding).subarray(0, 64)]);
    assert.is(sameBitmap(text, decode(b.stored[0].data, b.stored[0].info.coding).bitmap), null, coding);
  }
  // stored MH while the call is MR: coded from the rows as before
  const mh = storedPage(text, 'mh');
  const { a } = call(mh, {});
  assert.is(a.journal[0]?.result, 'ok');
  assert.equal([mh.codedOpened, mh.rowsOpened], [0, 1]);
});

test.run();
