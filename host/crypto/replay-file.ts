// `faxvault open`'s replay cache (docs/FAXNIKS.md §5.4): the (sender, salt) of every envelope
// opened within the time window, kept in a file beside the key file (KEY.replay, mode 0600: it
// says who wrote to me and when), so a copy of an envelope already opened is refused as a replay.
// Envelopes older than the window are refused by their timestamp, so entries older than the
// window can be dropped and the file stays bounded by what arrives in one window.
import { existsSync, readFileSync } from 'node:fs';
import { toHex } from '../../firmware/crypto/bytes.ts';
import type { ReplayCache } from '../../firmware/crypto/envelope-open.ts';
import { writeDurably } from '../files/durable.ts';

interface Entry {
  sender: string;
  salt: string;
  timestamp: number;
}

export class ReplayFileError extends Error {}

export class FileReplayCache implements ReplayCache {
  private entries: Entry[] = [];
  private keys = new Set<string>();

  constructor(readonly path: string) {
    if (!existsSync(path)) return;
    let v: { format?: string; entries?: Entry[] };
    try {
      v = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new ReplayFileError(`${path}: unreadable replay cache (${(e as Error).message}); refusing to open without it`);
    }
    if (v?.format !== 'faxvault-replay/1' || !Array.isArray(v.entries)) throw new ReplayFileError(`${path}: not a faxvault replay cache`);
    for (const e of v.entries) this.add(e);
  }

  private add(e: Entry): void {
    this.entries.push(e);
    this.keys.add(e.salt + ' ' + e.sender);
  }

  seen(sender: string, salt: Uint8Array): boolean {
    return this.keys.has(toHex(salt) + ' ' + sender);
  }

  remember(sender: string, salt: Uint8Array, timestamp: number): void {
    if (!this.seen(sender, salt)) this.add({ sender, salt: toHex(salt), timestamp });
  }

  /** Drops entries with a timestamp before `oldest` (Unix ms) and writes the file durably. */
  save(oldest: number): void {
    const keep = this.entries.filter((e) => e.timestamp >= oldest);
    writeDurably(this.path, JSON.stringify({ format: 'faxvault-replay/1', entries: keep }) + '\n', { mode: 0o600, replace: true });
  }
}
