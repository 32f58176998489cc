// Entry of the scratch device bundle of bench/device-codec.ts: times the page codec on the
// Espruino interpreter as the appliance drives it, on a page written to Storage (`page`): coded
// bytes pushed to T4Decoder in 1 KB pieces, and the decoded rows coded again by
// T4Encoder (what the sender and the print path do). Prints one `CODEC-BENCH {json}` line.
// Device code rules apply.
import { T4Decoder } from '../../firmware/fax/t4/decoder.ts';
import { T4Encoder } from '../../firmware/fax/t4/encoder.ts';
import type { T4Coding } from '../../firmware/fax/t4/options.ts';

declare const require: (m: string) => { read(name: string, offset: number, length: number): string; getFree(): number };
declare const E: { toUint8Array(s: string): Uint8Array };
declare const getTime: () => number;
declare const print: (s: string) => void;

function pass(coding: T4Coding, width: number, data: Uint8Array[], recode: boolean): { seconds: number; rows: number; bad: number; coded: number } {
  let coded = 0;
  const enc = recode ? new T4Encoder({ coding: coding, width: width, k: 4, onData: function (b: Uint8Array) { coded += b.length; } }) : null;
  let rows = 0;
  const d = new T4Decoder({
    coding: coding, width: width,
    onRow: function (row: Uint8Array) {
      rows++;
      if (enc !== null) enc.encodeRow(row);
    },
  });
  const t0 = getTime();
  for (let k = 0; k < data.length; k++) d.push(data[k]);
  d.end();
  if (enc !== null) enc.finish();
  return { seconds: getTime() - t0, rows: rows, bad: d.badLines, coded: coded };
}

export function run(coding: T4Coding, width: number, size: number): void {
  // The page into RAM first, untimed: the Linux port reads its fake flash with a file access
  // per read, which an ESP32 (its flash mapped into memory) does not pay. In 1 KB arrays: the
  // interpreter refuses typed-array offsets above 65,535.
  const data: Uint8Array[] = [];
  const storage = require('Storage');
  for (let off = 0; off < size; off += 1024) data.push(E.toUint8Array(storage.read('page', off, size - off < 1024 ? size - off : 1024)));
  const dec = pass(coding, width, data, false);
  const both = pass(coding, width, data, true);
  print('CODEC-BENCH ' + JSON.stringify({ decode: dec.seconds, decodeEncode: both.seconds, rows: dec.rows, bad: dec.bad, coded: both.coded }));
}
