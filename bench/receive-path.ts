// The fax receiver's cost per octet of page data beside the line rate (docs/FAX-LINE.md,
// keeping up with the line). Without ECM every octet of a page passes through the session in
// the driver's dispatch as it arrives. The old path decoded it there (T4Decoder, to count bad
// lines); the path now stores it, scans it (LineScanner: EOLs, RTC, lines of impossible length)
// and queues a copy for a decode that runs in slices behind the line, dropped if it falls too
// far behind. Measured here, in the same run, on dense ghostscript text pages (MH and MR): the
// octets per second of each path, set against the 1,800 octets per second of V.17 14400. With
// ECM no octet is decoded at all (the frames' FCS decides MCF/PPR).
// On the board: this prints the ratio decode/scan measured here; the interpreter's own figures,
// the whole path projected to an ESP32, come from bench/device-receive.ts when ESPRUINO_SPEED=
// names a Linux build of it.
import { LineScanner } from '../firmware/fax/t4/line-scan.ts';
import { T4Decoder, T4Encoder } from '../firmware/fax/t4/index.ts';
import { denseTextPages } from '../scripts/fax/dense-pages.ts';

function code(rows: Uint8Array, width: number, height: number, coding: 'mh' | 'mr'): Uint8Array {
  const out: Uint8Array[] = [];
  const e = new T4Encoder({ coding, width, k: 4, bitOrder: 'lsb-first', onData: (d) => out.push(d.slice()) });
  const stride = (width + 7) >> 3;
  for (let r = 0; r < height; r++) e.encodeRow(rows.subarray(r * stride, (r + 1) * stride));
  e.finish();
  const all = new Uint8Array(out.reduce((a, b) => a + b.length, 0));
  let at = 0;
  for (const c of out) {
    all.set(c, at);
    at += c.length;
  }
  return all;
}

/** Best of `n` runs, seconds. */
function best(n: number, f: () => void): number {
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    f();
    min = Math.min(min, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return min;
}

/** The data in the driver's 256-octet pieces, as the session's receive callback gets it. */
function pieces(data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += 256) out.push(data.subarray(i, i + 256));
  return out;
}

export default async function bench(): Promise<void> {
  const pages = denseTextPages(2, 5);
  const LINE = 14400 / 8;
  console.log('receive path per octet of page data (no ECM), dense ghostscript text pages 1728×2292 fine; line: V.17 14400 = 1800 octets/s');
  for (const coding of ['mh', 'mr'] as const) {
    const data = pages.map((p) => code(p.rows, p.width, p.height, coding));
    const octets = data.reduce((a, d) => a + d.length, 0);
    const chunks = data.map(pieces);
    const sink: Uint8Array[] = [];
    // old: every piece through the T.4 decoder in the driver's dispatch
    const tDecode = best(7, () => {
      for (const page of chunks) {
        const d = new T4Decoder({ coding, width: 1728, bitOrder: 'lsb-first' });
        for (const c of page) d.push(c);
        d.end();
        if (d.badLines) throw new Error('bench: bad lines in a clean page');
      }
    });
    // now: the line scan and a copy for the sliced decode (the sink's own storing is the same in both)
    const tScan = best(7, () => {
      for (const page of chunks) {
        const s = new LineScanner(1728, coding === 'mr');
        sink.length = 0;
        for (const c of page) {
          s.push(c);
          sink.push(c.slice(0));
        }
        if (!s.rtc) throw new Error('bench: no RTC found');
      }
    });
    const rDecode = octets / tDecode;
    const rScan = octets / tScan;
    console.log(`${coding.toUpperCase()}: ${(octets / 1024).toFixed(0)} KB; decode in the line path ${(rDecode / 1e6).toFixed(1)} MB/s (${(rDecode / LINE).toFixed(0)}× the line), ` +
      `scan + copy ${(rScan / 1e6).toFixed(1)} MB/s (${(rScan / LINE).toFixed(0)}× the line); ${(tDecode / tScan).toFixed(1)}× cheaper per octet`);
    console.log(`  a board whose decode runs at 0.28 KB/s (issue #14's ESP32 projection, 0.16× the line) would scan at ~${((0.28 * tDecode) / tScan).toFixed(1)} KB/s ` +
      `(${((0.28 * 1024 * tDecode) / tScan / LINE).toFixed(2)}× the line) if the ratio holds on the interpreter`);
  }
}
