// The simulated board's key store (hal/keystore.ts): secrets kept apart from the flash image, in
// DIR/keystore.json next to DIR/flash.bin (as an ESP32 keeps them in an encrypted NVS partition),
// or in memory without a data folder. A copy of flash.bin alone therefore holds no device secret.
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import type { KeyStore } from '../../hal/keystore.ts';

export class SimKeyStore implements KeyStore {
  private values: { [name: string]: string } = {};

  constructor(readonly file: string | null) {
    if (file && existsSync(file)) this.values = JSON.parse(readFileSync(file, 'utf8')) as { [name: string]: string };
  }

  read(name: string): Uint8Array | null {
    const v = this.values[name];
    return typeof v === 'string' ? new Uint8Array(Buffer.from(v, 'hex')) : null;
  }

  write(name: string, value: Uint8Array): boolean {
    this.values[name] = Buffer.from(value).toString('hex');
    if (!this.file) return true;
    try {
      writeFileSync(this.file + '.tmp', JSON.stringify(this.values), { mode: 0o600 });
      renameSync(this.file + '.tmp', this.file);
      return true;
    } catch {
      return false;
    }
  }
}
