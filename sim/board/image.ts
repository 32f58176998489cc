// The --data folder of a simulator run as the CLI meets it: the folder is checked (or created)
// and the flash image opened before anything runs, so a wrong path, a file of the wrong size or
// a file that is not a faxvault image is one line naming the problem, not a stack trace — and
// never a loop writing into a folder that cannot exist.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { makeDirs } from '../../host/files/dirs.ts';
import { join } from 'node:path';
import { SimFlash } from './flash.ts';
import { Store } from '../../firmware/store/index.ts';
import { describeFsError } from '../../host/files/errors.ts';

export class ImageError extends Error {}

export const FLASH_FILE = 'flash.bin';
const SECTOR = 4096;
const SECTORS = 256;

export function flashFile(dir: string): string {
  return join(dir, FLASH_FILE);
}

/** Checks DIR (creating it when `create`) and its flash.bin's size; throws ImageError. */
export function checkDataDir(dir: string, create: boolean): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new ImageError(`--data ${dir}: not a folder (give the folder a simulator run keeps its flash.bin in)`);
  } else if (create) {
    try {
      makeDirs(dir);
    } catch (e) {
      throw new ImageError(`--data ${dir}: cannot create the folder: ${describeFsError(e)}`);
    }
  } else {
    throw new ImageError(`no flash image in ${dir} (the folder does not exist; run faxvault sim --data ${dir} first)`);
  }
  const file = flashFile(dir);
  if (!existsSync(file)) {
    if (!create) throw new ImageError(`no flash image in ${dir} (expected ${file}; run faxvault sim --data ${dir} first)`);
    return;
  }
  const st = statSync(file);
  if (!st.isFile()) throw new ImageError(`${file} is not a file`);
  if (st.size !== SECTOR * SECTORS) {
    throw new ImageError(`${file} has ${st.size} bytes; a faxvault flash image has ${SECTOR * SECTORS} (${SECTORS} sectors of ${SECTOR}). Not an image of this simulator: move it away`);
  }
}

/**
 * True when the image holds data but no sector of the faxvault store: a file that happens to be
 * 1 MiB, not an image a simulator run left (it would be erased sector by sector as the store grows).
 */
export function isForeignImage(dir: string): boolean {
  const file = flashFile(dir);
  if (!existsSync(file)) return false;
  const data = readFileSync(file);
  if (data.every((b) => b === 0xff)) return false;
  const flash = new SimFlash({ sectorSize: SECTOR, sectorCount: SECTORS });
  flash.mem.set(data);
  return new Store(flash).mount().sectors === 0;
}

/** Opens DIR's flash image and mounts its store (the folder checked first). */
export function openImage(dir: string): { flash: SimFlash; store: Store; foreign: boolean } {
  checkDataDir(dir, false);
  const foreign = isForeignImage(dir);
  let flash: SimFlash;
  try {
    flash = new SimFlash({ file: flashFile(dir) });
  } catch (e) {
    throw new ImageError(`${flashFile(dir)}: ${(e as NodeJS.ErrnoException).code ? describeFsError(e) : (e as Error).message}`);
  }
  const store = new Store(flash);
  store.mount();
  return { flash, store, foreign };
}
