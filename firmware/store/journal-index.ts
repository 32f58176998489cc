// The journal's records: JOURNAL records keyed by a rising number, text payload; the newest
// `max` are kept (older ones stop being live and compaction reclaims them). The index holds
// only numbers and addresses; the texts are read from flash when the journal is listed.
import type { LogIndex, RecordLog } from './log.ts';
import { REC, bytesText, textBytes } from './layout.ts';

export class JournalIndex implements LogIndex {
  private seqs: number[] = [];
  private addrs: number[] = [];
  private next = 1;

  constructor(readonly log: RecordLog, readonly max: number) {
    log.attach([REC.JOURNAL], this);
  }

  clear(): void {
    this.seqs = [];
    this.addrs = [];
    this.next = 1;
  }

  apply(type: number, seq: number, addr: number): void {
    if (seq >= this.next) this.next = seq + 1;
    let i = this.seqs.length;
    while (i > 0 && this.seqs[i - 1] > seq) i--;
    if (i > 0 && this.seqs[i - 1] === seq) {
      this.log.kill(this.addrs[i - 1]);
      this.addrs[i - 1] = addr;
    } else {
      this.seqs.splice(i, 0, seq);
      this.addrs.splice(i, 0, addr);
    }
    while (this.seqs.length > this.max) {
      this.log.kill(this.addrs[0]);
      this.seqs.shift();
      this.addrs.shift();
    }
  }

  isLive(type: number, seq: number, addr: number): boolean {
    const i = this.seqs.indexOf(seq);
    return i >= 0 && this.addrs[i] === addr;
  }

  reclaimed(): void {}

  add(text: string): boolean {
    const seq = this.next;
    const p = textBytes(text);
    if (p.length > this.log.maxPayload()) return false; // larger than a record can be: refused, not thrown
    const ok = this.log.append(REC.JOURNAL, seq, p, 'meta') >= 0;
    if (ok) this.next = seq + 1;
    return ok;
  }

  /** Entries held (the status page reads them one at a time, not as a list). */
  count(): number {
    return this.seqs.length;
  }

  /** Entry i's text (0 = the oldest), read from flash. */
  text(i: number): string {
    const p = this.log.payload(this.addrs[i]);
    return p ? bytesText(p, 0, p.length) : '(damaged entry)';
  }

  /** The journal, oldest first (at most `max` entries). */
  entries(): { seq: number; text: string }[] {
    const out: { seq: number; text: string }[] = [];
    for (let i = 0; i < this.seqs.length; i++) {
      const p = this.log.payload(this.addrs[i]);
      out.push({ seq: this.seqs[i], text: p ? bytesText(p, 0, p.length) : '(damaged entry)' });
    }
    return out;
  }
}
