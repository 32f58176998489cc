// Dense pages at every rate, in virtual time on the emulated line: a page's time on the line is
// its bits over the rate, and no timer may cut it. The pages are made by real tools in the test:
// small typed text rendered by ghostscript (1728×2292 fine, ~65 KB in MR: 36 s at 14400 bit/s,
// nearly four minutes at 2400) and a photo error-diffused by netpbm (far denser per row).
// Both directions of the firmware (sender and receiver), with and without ECM (an ECM block of
// 256 frames is 64 KB), and against the emulated remote machine both ways.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimRig, pageOf, decode, encodePage, sameBitmap } from './sim-rig.ts';
import type { Bitmap } from './sim-rig.ts';
import type { Caps } from '../../../../firmware/fax/t30/index.ts';
import { denseTextPages, ditheredPhoto } from '../../../../scripts/fax/dense-pages.ts';

const text: Bitmap = denseTextPages(1)[0];
const photo: Bitmap = ditheredPhoto(320);

/** Line modes from V.17 14400 down to V.27ter 2400: the rate limit and the modulations offered. */
const MODES: { name: string; maxRate: number; caps: Partial<Caps> }[] = [
  { name: 'V.17 14400', maxRate: 14400, caps: {} },
  { name: 'V.17 12000', maxRate: 12000, caps: {} },
  { name: 'V.17 9600', maxRate: 9600, caps: {} },
  { name: 'V.29 9600', maxRate: 9600, caps: { v17: false } },
  { name: 'V.29 7200', maxRate: 7200, caps: { v17: false } },
  { name: 'V.27ter 4800', maxRate: 4800, caps: { v17: false, v29: false } },
  { name: 'V.27ter 2400', maxRate: 2400, caps: { v17: false, v29: false } },
];

function firmwareCall(page: Bitmap, mode: (typeof MODES)[number], ecm: boolean) {
  const rig = new SimRig();
  const caps = { ...mode.caps, ecm };
  const a = rig.station('100', { caps, maxRate: mode.maxRate, ecmBlockFrames: 256 });
  const b = rig.station('200', { caps, maxRate: mode.maxRate });
  rig.runUntil(() => a.fax.ready && b.fax.ready, 5000);
  a.fax.send({ number: '200', pages: [pageOf(page)] });
  rig.runUntil(() => a.journal.length > 0 && b.journal.length > 0, 3600000);
  const why = () => '\n--- sender\n' + a.trace().slice(-40).join('\n') + '\n--- receiver\n' + b.trace().slice(-40).join('\n');
  return { a, b, why };
}

function expectDelivered(r: ReturnType<typeof firmwareCall>, page: Bitmap, mode: (typeof MODES)[number], ecm: boolean, what: string) {
  const { a, b, why } = r;
  const where = `${what} ${mode.name}${ecm ? ' ECM' : ''}`;
  assert.is(a.journal[0]?.result, 'ok', where + why());
  assert.is(b.journal[0]?.result, 'ok', where + why());
  assert.is(a.journal[0].rate, mode.maxRate, where);
  assert.is(a.journal[0].ecm, ecm, where);
  assert.is(b.stored.length, 1, where);
  const s = b.stored[0];
  // the page really was long on the line: its octets over the rate
  const lineMs = (s.data.length * 8000) / mode.maxRate;
  assert.ok(lineMs > 20000, `${where}: only ${Math.round(lineMs)} ms of page data`);
  assert.ok(a.journal[0].duration > lineMs, where);
  assert.is(sameBitmap(page, decode(s.data, s.info.coding).bitmap), null, where);
}

for (const ecm of [false, true]) {
  test(`a dense text page (ghostscript) at every rate, firmware to firmware${ecm ? ', ECM' : ''}`, () => {
    for (const mode of MODES) expectDelivered(firmwareCall(text, mode, ecm), text, mode, ecm, 'text');
  });
}

test('a dithered photo (netpbm) at the fastest and the slowest rate, with and without ECM', () => {
  for (const mode of [MODES[0], MODES[MODES.length - 1]]) {
    for (const ecm of [false, true]) expectDelivered(firmwareCall(photo, mode, ecm), photo, mode, ecm, 'photo');
  }
});

test('the emulated remote sends a dense page to the firmware and receives one from it, at 14400 and 2400', () => {
  for (const rate of [14400, 2400] as const) {
    for (const ecm of [false, true]) {
      // the remote sends
      const rig = new SimRig();
      const b = rig.station('200', { caps: { ecm } });
      const coded = encodePage(text, ecm ? 'mmr' : 'mr');
      const far = rig.line.attachRemote('300', { role: 'send', call: '200', coding: ecm ? 'MMR' : 'MR', fine: true, ecm, maxRate: rate, pages: [coded] });
      rig.runUntil(() => b.journal.length > 0 && far.result.status !== 'in-progress', 3600000);
      const where = `remote sends at ${rate}${ecm ? ' ECM' : ''}`;
      assert.is(b.journal[0]?.result, 'ok', where + '\n' + b.trace().slice(-30).join('\n'));
      assert.is(b.journal[0].rate, rate, where);
      assert.is(far.result.status, 'ok', where + ': ' + far.result.reason);
      assert.is(sameBitmap(text, decode(b.stored[0].data, b.stored[0].info.coding).bitmap), null, where);
      // the remote's DCN (followed at once by its hang-up) arrives as a frame
      assert.ok(b.trace().some((l) => / t30: <- DCN$/.test(l)), where + ': <- DCN');

      // the remote receives
      const rig2 = new SimRig();
      const a = rig2.station('100', { caps: { ecm }, maxRate: rate, ecmBlockFrames: 256 });
      const rx = rig2.line.attachRemote('300', { role: 'receive', coding: 'MMR', ecm, maxRate: rate });
      rig2.runUntil(() => a.fax.ready, 5000);
      a.fax.send({ number: '300', pages: [pageOf(text)] });
      rig2.runUntil(() => a.journal.length > 0 && rx.result.status !== 'in-progress', 3600000);
      const where2 = `remote receives at ${rate}${ecm ? ' ECM' : ''}`;
      assert.is(a.journal[0]?.result, 'ok', where2 + '\n' + a.trace().slice(-30).join('\n'));
      assert.is(a.journal[0].rate, rate, where2);
      assert.is(rx.result.status, 'ok', where2 + ': ' + rx.result.reason);
      assert.is(rx.result.pages, 1, where2);
      assert.is(sameBitmap(text, decode(rx.pages[0], rx.result.coding).bitmap), null, where2);
    }
  }
});

test.run();
