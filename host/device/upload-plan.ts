// What `faxvault flash` writes to a board, as the console lines it sends: each file of the device
// build goes to the board's Storage in pieces of PIECE bytes (`require("Storage").write(name,
// piece, offset, total)`), because the board cannot hold a whole 177 KB file as one string (on an
// ESP32's 16,383 variables of 14 bytes a string costs about one variable per 10 bytes). The tests
// and the bench upload the same plan to the interpreter (test/build/interpreter.ts), so what a
// board receives is what was measured. docs/ESPRUINO.md, "Flashing", describes the files.

/** One file of the device build: its Storage name and its text (8-bit characters only). */
export interface DeviceFile {
  name: string;
  text: string;
}

/** One console line of the upload; `code` is an expression that is true when the write worked. */
export interface UploadStep {
  /** `faxvault.js 0..4096 of 177154` */
  what: string;
  code: string;
  /** Bytes of the file this line writes. */
  bytes: number;
}

/**
 * Bytes per Storage write: a 4 KB piece as a string on the console costs the board ~400
 * variables while the line is parsed and written, and it is one flash page of an ESP32.
 */
export const PIECE = 4096;

/** Storage names on Espruino: at most 28 characters (jsflash's file name field). */
const NAME = /^[A-Za-z0-9._-]{1,28}$/;

/** A JS string literal with only printable ASCII in it (\xHH for the rest): line- and byte-safe. */
export function quoteBytes(s: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) continue;
    if (c > 0xff) throw new Error(`character U+${c.toString(16).toUpperCase().padStart(4, '0')} at ${i}: device files are 8-bit (build with ascii_only)`);
    out += s.slice(from, i) + (c === 0x22 ? '\\"' : c === 0x5c ? '\\\\' : '\\x' + (c < 16 ? '0' : '') + c.toString(16));
    from = i + 1;
  }
  return out + s.slice(from) + '"';
}

/** The console lines that write `files` to Storage, in order. */
export function uploadPlan(files: DeviceFile[]): UploadStep[] {
  const steps: UploadStep[] = [];
  for (const f of files) {
    if (!NAME.test(f.name)) throw new Error(`'${f.name}' is not a Storage file name (letters, digits, . _ -, at most 28)`);
    if (f.text.length === 0) throw new Error(`${f.name} is empty`);
    for (let off = 0; off < f.text.length; off += PIECE) {
      const piece = f.text.slice(off, off + PIECE);
      const end = off + piece.length;
      steps.push({
        what: `${f.name} ${off}..${end} of ${f.text.length}`,
        // offset 0 with the total size creates the file afresh (an older one of that name is erased)
        code: `require("Storage").write(${JSON.stringify(f.name)},${quoteBytes(piece)},${off}${off === 0 ? ',' + f.text.length : ''})`,
        bytes: piece.length,
      });
    }
  }
  return steps;
}

/** Storage name of the device bundle on the board. */
export const BUNDLE_FILE = 'faxvault.js';

/**
 * The board's boot code (Storage `.bootcde`, which the interpreter runs at every power-on):
 * load the bundle from Storage, so its function code stays in flash, and start the appliance.
 */
export const BOOT_CODE = 'eval(require("Storage").read("' + BUNDLE_FILE + '"));faxvault.start();';

/** The build's output files (rollup.config.mjs) and what each becomes on the board. */
export const BUILD_OUTPUTS = [
  { dist: 'dist/faxvault.device.js', name: BUNDLE_FILE },
];

/**
 * The files of a device build in the order they are written: the bundle (its modules loaded on
 * demand are inside it: docs/ESPRUINO.md), and last the boot code (a board cut off half way boots the old code, or none, never a new
 * boot code with a half-written bundle).
 */
export function deviceFiles(bundle: string): DeviceFile[] {
  return [
    { name: BUNDLE_FILE, text: bundle },
    { name: '.bootcde', text: BOOT_CODE },
  ];
}

/** deviceFiles() of a build read through `read(path)` (paths of BUILD_OUTPUTS). */
export function deviceFilesOf(read: (dist: string) => string): DeviceFile[] {
  return deviceFiles(read(BUILD_OUTPUTS[0].dist));
}
