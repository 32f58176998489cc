// The page codec's speed on the Espruino interpreter, beside the line's rate: can a board keep
// up with a call, and how many pages a minute can it print? A dense ghostscript text page
// (1728x2292, fine, MR K=4 as the appliance receives it) is written to the interpreter's
// Storage; bench/entries/codec-device.ts reads it into RAM, decodes it in 1 KB pieces, then
// decodes and codes it again (timed by the interpreter's own clock). The figures are projected to an ESP32
// with the project's factor (x34 slower than the interpreter's native 64-bit Linux build here,
// docs/ESPRUINO.md "Speed"). Needs ESPRUINO_SPEED= a native build (or ESPRUINO=; a build run
// under qemu is ~15x slower and says so).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Interpreter } from '../test/build/interpreter.ts';
import { readTiff, codePage } from '../host/image/tiff.ts';
import { faxTestDocument } from '../scripts/t4/document.ts';
import { existsSync } from 'node:fs';
import { scratchDeviceBundle } from './scratch-bundle.ts';

/** ESP32-class board vs the interpreter's native Linux build on this machine (docs/ESPRUINO.md). */
const BOARD_FACTOR = 34;
/** V.17 at 14400 bit/s: page data arrives at 1,800 bytes a second. */
const LINE_BYTES_PER_S = 14400 / 8;

export default async function run(): Promise<void> {
  const interp = [process.env.ESPRUINO_SPEED, process.env.ESPRUINO].find((p) => p && existsSync(p));
  if (!interp) {
    console.log('device codec: not measured (set ESPRUINO_SPEED=/path/to/espruino, a native Linux build of the interpreter)');
    return;
  }
  const emulated = /qemu/.test(existsSync(interp) ? readFileSync(interp, 'latin1').slice(0, 4000) : '');
  const dir = mkdtempSync(join(tmpdir(), 'fv-codec-'));
  writeFileSync(join(dir, 'doc.ps'), faxTestDocument(1));
  execFileSync('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=tiffg4', '-r204x196', '-sPAPERSIZE=a4', `-sOutputFile=${join(dir, 'p.tif')}`, join(dir, 'doc.ps')]);
  const page = readTiff(readFileSync(join(dir, 'p.tif')))[0];
  const coded = codePage(page, { coding: 'mr' }).data;
  // the scratch bundle, lowered as the device bundle is
  const script = scratchDeviceBundle('bench/entries/codec-device.ts');
  const it = new Interpreter(interp);
  await it.upload([{ name: 'page', text: Buffer.from(coded).toString('latin1') }]);
  // The codec runs from RAM here: the Linux port reads its fake flash with a file access per
  // read, which an ESP32 (flash mapped into memory) does not pay.
  const r = await it.run(readFileSync(script, 'utf8') + `\nfaxvault.run('mr', ${page.width}, ${coded.length});\n`, 1800000);
  const m = /CODEC-BENCH (\{.*\})/.exec(r.out);
  if (!m) throw new Error('the interpreter printed no result: ' + r.out.slice(-800));
  const f = JSON.parse(m[1]) as { decode: number; decodeEncode: number; rows: number; bad: number; coded: number };
  if (f.rows !== page.height || f.bad) throw new Error(`decoded ${f.rows} rows (${f.bad} bad) of ${page.height}`);
  const kb = coded.length / 1024;
  const enc = f.decodeEncode - f.decode;
  const line = (s: number): string => (coded.length / s / BOARD_FACTOR / LINE_BYTES_PER_S).toFixed(2);
  console.log(`device codec on ${interp}${emulated ? ' (emulated: ~15x slower than native, figures not projected fairly)' : ''}:`);
  console.log(`  page: ghostscript text 1728x${page.height} fine, MR K=4, ${coded.length} bytes (${(coded.length * 8 / 14400).toFixed(1)} s on the line at 14400)`);
  console.log(`  decode: ${f.decode.toFixed(2)} s on the interpreter = ${(kb / f.decode).toFixed(1)} KB/s; ESP32 (x${BOARD_FACTOR}): ${(f.decode * BOARD_FACTOR).toFixed(0)} s a page = ${(kb / f.decode / BOARD_FACTOR).toFixed(2)} KB/s = ${line(f.decode)}x the line's 1.76 KB/s at 14400`);
  console.log(`  encode: ${enc.toFixed(2)} s on the interpreter = ${(kb / enc).toFixed(1)} KB/s of output; ESP32 (x${BOARD_FACTOR}): ${(enc * BOARD_FACTOR).toFixed(0)} s a page = ${line(enc)}x the line's rate`);
  console.log(`  printing (decode only) on an ESP32: ${(60 / (f.decode * BOARD_FACTOR)).toFixed(2)} pages a minute of this density`);
  for (const rate of [14400, 9600, 7200, 4800, 2400]) {
    const need = rate / 8;
    const have = coded.length / f.decode / BOARD_FACTOR;
    console.log(`  receive at ${String(rate).padStart(5)} bit/s decoding as it arrives: ${have >= need ? 'keeps up' : 'falls behind'} (${(have / need).toFixed(2)}x)`);
  }
}
