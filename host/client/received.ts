// What the owner's program already has in its output folder, so that a document the appliance
// sends again (its acknowledgement was lost, or had not arrived before the appliance's back-off
// ran out: docs/MAIL.md §Acknowledgements, docs/LAN-PROTOCOL.md §5) is recognised and not written
// a second time. Kept as
// `.faxvault-received.json` in the folder (mode 0600): a document is named by the appliance, box,
// document number and reception time (a number reused by the appliance after a deletion is a
// different reception), with the POP3 UIDLs of the mails whose acknowledgement was sent.
// `saveArrived` writes what a mailbox check brought (new documents only) and says which copies
// still need their acknowledgement mailed; `saveOnce` does the same for one document pushed over
// the LAN (`client listen`), whose acknowledgement goes back on the connection.
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DocSummary } from '../../firmware/lan/messages.ts';
import type { MailboxResult } from './mail.ts';
import type { ReceivedDocument } from './session.ts';
import { documentStem, saveDocument } from './output.ts';

export const RECEIVED_FILE = '.faxvault-received.json';
/** Entries kept (the oldest go first); far more than a box holds. */
const KEEP = 2000;
/** Acknowledged mail UIDLs kept per document. */
const KEEP_UIDS = 8;

interface Entry {
  key: string;
  file: string;
  acked: string[];
}

export class ReceivedIndex {
  private entries: Entry[] = [];
  private readonly path: string;

  constructor(dir: string) {
    this.path = join(dir, RECEIVED_FILE);
    if (!existsSync(this.path)) return;
    try {
      const v = JSON.parse(readFileSync(this.path, 'utf8'));
      if (Array.isArray(v)) {
        for (const e of v) {
          if (e && typeof e.key === 'string') this.entries.push({ key: e.key, file: String(e.file ?? ''), acked: Array.isArray(e.acked) ? e.acked.map(String) : [] });
        }
      }
    } catch {
      // A damaged index only means a document mailed again may be written again.
      this.entries = [];
    }
  }

  static key(appliance: string, s: DocSummary): string {
    return `${appliance} ${s.box} ${s.doc} ${s.time}`;
  }

  /** The file it was saved as, or null when this document is new here. */
  has(key: string): string | null {
    const e = this.entries.find((x) => x.key === key);
    return e ? e.file : null;
  }

  /** The file it was saved as if that is still there (moved away or deleted: null, write it again). */
  file(key: string): string | null {
    const f = this.has(key);
    return f !== null && existsSync(f) ? f : null;
  }

  /** It was written as `file` (again, when the file of an earlier copy is gone). */
  add(key: string, file: string): void {
    const e = this.entries.find((x) => x.key === key);
    if (e) e.file = file;
    else this.entries.push({ key, file, acked: [] });
    while (this.entries.length > KEEP) this.entries.shift();
    this.save();
  }

  /** The acknowledgement for the copy in mail `uid` was sent already (a kept mail read again). */
  acked(key: string, uid: string): boolean {
    const e = this.entries.find((x) => x.key === key);
    return !!e && e.acked.includes(uid);
  }

  markAcked(key: string, uid: string): void {
    const e = this.entries.find((x) => x.key === key);
    if (!e) return;
    e.acked.push(uid);
    while (e.acked.length > KEEP_UIDS) e.acked.shift();
    this.save();
  }

  private save(): void {
    const tmp = this.path + '.tmp';
    writeFileSync(tmp, JSON.stringify(this.entries), { mode: 0o600 });
    renameSync(tmp, this.path);
  }
}

/**
 * Writes a sealed document (TIFF + PDF) unless it is here already (a copy sent again because its
 * acknowledgement did not arrive); `files` are the new files, or the one written before.
 */
export function saveOnce(d: ReceivedDocument, dir: string, index: ReceivedIndex): { files: string[]; again: boolean } {
  const key = ReceivedIndex.key(d.appliance, d.summary);
  const had = index.file(key);
  if (had !== null) return { files: [had], again: true };
  const f = saveDocument(d, dir);
  index.add(key, f.tiff);
  return { files: [f.tiff, f.pdf], again: false };
}

/** One document a mailbox check brought (every copy of it in that check), as `saveArrived` handled it. */
export interface Arrived {
  summary: DocSummary;
  /** Index key (ReceivedIndex.key). */
  key: string;
  /** The POP3 UIDLs of the mails it came in (more than one: the appliance mailed it again). */
  uids: string[];
  /** Where it is: the files written now, or the TIFF written when it came before. */
  files: string[];
  /** It was here already (mailed again): nothing written. */
  again: boolean;
  /** Text-only protection: the image came unencrypted (its SHA-256 checked). */
  clearImage: boolean;
  /** Its acknowledgement is still to be mailed (false only for kept mails read again). */
  ackDue: boolean;
}

/**
 * Writes the documents of a mailbox check to `dir` — sealed ones as TIFF + PDF, a text-only box's
 * TIFF as it came — except those already there, and records them in `index`. Copies of one
 * document in the same check come back as one entry (one acknowledgement answers them all).
 */
export function saveArrived(r: MailboxResult, dir: string, index: ReceivedIndex, appliance: string): Arrived[] {
  const out: Arrived[] = [];
  const copy = (s: DocSummary, uid: string, clearImage: boolean, write: () => string[]) => {
    const key = ReceivedIndex.key(appliance, s);
    const same = out.find((a) => a.key === key);
    if (same) {
      same.uids.push(uid);
      if (!index.acked(key, uid)) same.ackDue = true;
      return;
    }
    // Here already — unless its file is gone (moved or deleted by the owner): then written again.
    const had = index.file(key);
    let files = had !== null ? [had] : [];
    if (had === null) {
      files = write();
      index.add(key, files[0]);
    }
    out.push({ summary: s, key, uids: [uid], files, again: had !== null, clearImage, ackDue: !index.acked(key, uid) });
  };
  for (const d of r.documents) {
    copy(d.summary, d.uid, false, () => {
      const f = saveDocument(d, dir);
      return [f.tiff, f.pdf];
    });
  }
  for (const t of r.texts) {
    copy(t.part, t.uid, true, () => {
      let path = join(dir, documentStem(t.part) + '.tif');
      for (let i = 2; existsSync(path); i++) path = join(dir, `${documentStem(t.part)}-${i}.tif`);
      writeFileSync(path, t.tiff, { mode: 0o600 });
      chmodSync(path, 0o600);
      return [path];
    });
  }
  return out;
}
