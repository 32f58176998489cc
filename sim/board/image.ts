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
/** The default image: 1 MiB, a small board's data partition. */
export const DEFAULT_SECTORS = 256;
/** Image sizes a run may ask for (--flash-size): 64 KiB (the store's reserves and a page) to 64 MiB. */
export const MIN_SECTORS = 16;
export const MAX_SECTORS = 16384;

/**
 * `--flash-size` as people write it: 4M, 4MB, 4MiB, 512K, or bytes; a whole number of 4 KiB
 * sectors from 64 KiB to 64 MiB. Returns the sectors, or throws ImageError naming the problem.
 */
export function parseFlashSize(text: string): number {
  const m = /^(\d+)\s*(k|kb|kib|m|mb|mib)?$/i.exec(text.trim());
  if (!m) throw new ImageError(`--flash-size must be a size such as 4M, 512K or 1048576 (got '${text}')`);
  const unit = (m[2] || '').charAt(0).toLowerCase();
  const bytes = Number(m[1]) * (unit === 'm' ? 1048576 : unit === 'k' ? 1024 : 1);
  if (bytes % SECTOR !== 0) throw new ImageError(`--flash-size must be a whole number of ${SECTOR}-byte sectors (got ${bytes} bytes)`);
  const sectors = bytes / SECTOR;
  if (sectors < MIN_SECTORS || sectors > MAX_SECTORS) {
    throw new ImageError(`--flash-size must be from ${(MIN_SECTORS * SECTOR) / 1024}K to ${(MAX_SECTORS * SECTOR) / 1048576}M (got '${text}')`);
  }
  return sectors;
}

/** Sectors of DIR's existing image, or null when it has none (its size checked by checkDataDir). */
export function imageSectors(dir: string): number | null {
  const file = flashFile(dir);
  return existsSync(file) ? statSync(file).size / SECTOR : null;
}

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
  if (st.size % SECTOR !== 0 || st.size < MIN_SECTORS * SECTOR || st.size > MAX_SECTORS * SECTOR) {
    throw new ImageError(`${file} has ${st.size} bytes; a faxvault flash image has ${SECTOR * DEFAULT_SECTORS} (${DEFAULT_SECTORS} sectors of ${SECTOR}) or another whole number of sectors from ${(MIN_SECTORS * SECTOR) / 1024}K to ${(MAX_SECTORS * SECTOR) / 1048576}M (sim --flash-size). Not an image of this simulator: move it away`);
  }
}

/**
 * True when the image holds data but no sector of the faxvault store: a file that happens to have
 * an image's size, not an image a simulator run left (it would be erased sector by sector as the store grows).
 */
export function isForeignImage(dir: string): boolean {
  const file = flashFile(dir);
  if (!existsSync(file)) return false;
  const data = readFileSync(file);
  if (data.every((b) => b === 0xff)) return false;
  const flash = new SimFlash({ sectorSize: SECTOR, sectorCount: data.length / SECTOR });
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
