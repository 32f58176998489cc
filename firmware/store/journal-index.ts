// The journal's records: JOURNAL records keyed by a rising number, text payload; the newest
// `max` are kept (older ones stop being live and compaction reclaims them). The index holds
// only numbers and addresses; the texts are read from flash when the journal is listed.
//
// Both in typed arrays that grow by doubling up to `max`: a plain array costs a variable per
// entry on the interpreter, 400 for a full journal of 200 entries; two Int32Arrays of 200 cost
// about 115 (docs/ESPRUINO.md).
import type { LogIndex, RecordLog } from './log.ts';
import { REC, bytesText, textBytes } from './layout.ts';

export class JournalIndex implements LogIndex {
  private seqs = new Int32Array(0);
  private addrs = new Int32Array(0);
  /** Entries held: seqs[0..n) rising, addrs alongside. */
  private n = 0;
  private next = 1;

  constructor(readonly log: RecordLog, readonly max: number) {
    log.attach([REC.JOURNAL], this);
  }

  clear(): void {
    this.seqs = new Int32Array(0);
    this.addrs = new Int32Array(0);
    this.n = 0;
    this.next = 1;
  }

  /** Room for one more entry (the arrays double, up to max + 1: one over while the oldest goes). */
  private room(): void {
    if (this.n < this.seqs.length) return;
    let size = this.seqs.length ? this.seqs.length * 2 : 8;
    if (size > this.max + 1) size = this.max + 1;
    const s = new Int32Array(size);
    const a = new Int32Array(size);
    s.set(this.seqs.subarray(0, this.n));
    a.set(this.addrs.subarray(0, this.n));
    this.seqs = s;
    this.addrs = a;
  }

  apply(type: number, seq: number, addr: number): void {
    if (seq >= this.next) this.next = seq + 1;
    let i = this.n;
    while (i > 0 && this.seqs[i - 1] > seq) i--;
    if (i > 0 && this.seqs[i - 1] === seq) {
      this.log.kill(this.addrs[i - 1]);
      this.addrs[i - 1] = addr;
    } else {
      this.room();
      // (The interpreter has no copyWithin.)
      for (let j = this.n; j > i; j--) {
        this.seqs[j] = this.seqs[j - 1];
        this.addrs[j] = this.addrs[j - 1];
      }
      this.seqs[i] = seq;
      this.addrs[i] = addr;
      this.n++;
    }
    while (this.n > this.max) {
      this.log.kill(this.addrs[0]);
      for (let j = 1; j < this.n; j++) {
        this.seqs[j - 1] = this.seqs[j];
        this.addrs[j - 1] = this.addrs[j];
      }
      this.n--;
    }
  }

  isLive(type: number, seq: number, addr: number): boolean {
    for (let i = 0; i < this.n; i++) if (this.seqs[i] === seq) return this.addrs[i] === addr;
    return false;
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
    return this.n;
  }

  /** Entry i's text (0 = the oldest), read from flash. */
  text(i: number): string {
    const p = this.log.payload(this.addrs[i]);
    return p ? bytesText(p, 0, p.length) : '(damaged entry)';
  }

  /** The journal, oldest first (at most `max` entries). */
  entries(): { seq: number; text: string }[] {
    const out: { seq: number; text: string }[] = [];
    for (let i = 0; i < this.n; i++) {
      const p = this.log.payload(this.addrs[i]);
      out.push({ seq: this.seqs[i], text: p ? bytesText(p, 0, p.length) : '(damaged entry)' });
    }
    return out;
  }
}
