// Receiving a job's pages (MSG_JOB_PAGES, docs/FAX-SERVER.md §3): the sealed stream is opened
// segment by segment as CHUNK frames arrive, its records (§4) are written to a store document
// (dir 'job') as they come, and only when the last segment authenticated and the stream ended
// is the document closed and handed to the send queue. Anything wrong — a tag that fails, a
// record out of order, more bytes or pages than announced, a page format the line cannot send,
// a full store — discards the document: nothing half-received is ever queued. Memory: one
// envelope segment and one store chunk.
import type { Store, DocWriter } from '../store/index.ts';
import { EnvelopeOpener, decodeHeader, headerLength } from '../crypto/envelope-open.ts';
import type { OpenPolicy } from '../crypto/envelope-open.ts';
import { JOB_DIR } from '../jobs/index.ts';
import { DocStreamParser } from './messages-parse.ts';
import type { DocSummary, PageHead } from './messages.ts';
import type { DocStreamSink } from './messages-parse.ts';
import { lanError } from './frame.ts';
import type { JobRequest } from './job-messages.ts';

/** Page widths (T.4 §2.2: A4, B4, A3) and vertical resolutions (lines/mm) the line can send. */
const WIDTHS = [1728, 2048, 2432];

export class JobUpload implements DocStreamSink {
  readonly opener: EnvelopeOpener;
  readonly parser: DocStreamParser;
  writer: DocWriter | null;
  pages = 0;
  bytes = 0;
  inPage = false;
  ended = false;
  /** Bytes before the envelope header is complete: its sender is checked before any key is computed. */
  head: Uint8Array | null = new Uint8Array(0);

  constructor(readonly store: Store, policy: OpenPolicy, readonly req: JobRequest, readonly sender: string, wall: number) {
    this.opener = new EnvelopeOpener(policy);
    this.parser = new DocStreamParser(this);
    this.writer = store.beginDocument({ dir: JOB_DIR, time: wall, remote: req.to, sub: req.sub, box: '', owner: sender });
    if (!this.writer) throw lanError('memory-full', 'the appliance\'s memory is full');
  }

  /** A CHUNK's bytes. Throws (LanError / EnvelopeError) when the upload must be refused. */
  push(bytes: Uint8Array): void {
    if (this.head) {
      const h = new Uint8Array(this.head.length + bytes.length);
      h.set(this.head, 0);
      h.set(bytes, this.head.length);
      const n = headerLength(h);
      if (n < 0 || h.length < n) {
        // A header is at most 57 + 2 × 256 bytes: anything longer than that is not one.
        if (h.length > 600) throw lanError('malformed', 'no envelope header');
        this.head = h;
        return;
      }
      // The pages must come from the identity that asked for the job: another sender's stream
      // is refused before its pair key is computed (no work, no cache entry for strangers).
      if (decodeHeader(h.subarray(0, n)).sender !== this.sender) throw lanError('not-owner', 'pages sealed by another identity');
      this.head = null;
      bytes = h;
    }
    this.parser.push(this.opener.push(bytes));
  }

  /** END: the last segment, then the document is closed. Returns its id; throws when refused. */
  finish(): number {
    if (this.head) throw lanError('truncated', 'the pages ended inside the envelope header');
    this.parser.push(this.opener.finish());
    if (!this.ended) throw lanError('truncated', 'the page stream ended without its end record');
    if (this.pages !== this.req.pages) throw lanError('malformed', this.pages + ' pages received, ' + this.req.pages + ' announced');
    const w = this.writer as DocWriter;
    this.writer = null;
    if (!w.close('ok')) throw lanError('memory-full', 'the appliance\'s memory is full');
    return w.id;
  }

  /** Drop what was received (refused, disconnected). */
  abort(): void {
    if (this.writer) this.writer.discard();
    this.writer = null;
  }

  doc(s: DocSummary): void {
    if (s.pages !== this.req.pages) throw lanError('malformed', 'the stream announces ' + s.pages + ' pages, the job ' + this.req.pages);
  }

  page(p: PageHead): void {
    const w = this.writer as DocWriter;
    if (this.inPage && !w.endPage()) throw lanError('memory-full', 'the appliance\'s memory is full');
    if (this.pages >= this.req.pages) throw lanError('malformed', 'more pages than announced');
    if (WIDTHS.indexOf(p.width) < 0) throw lanError('malformed', 'page width ' + p.width + ' is not a fax width (1728, 2048, 2432)');
    if (p.coding !== 'mh' && p.coding !== 'mr' && p.coding !== 'mmr') throw lanError('malformed', 'page coding ' + p.coding + ' (mh, mr or mmr)');
    const lpm = p.linesPerMm < 5 ? 3.85 : p.linesPerMm < 10 ? 7.7 : 15.4;
    w.beginPage({ coding: p.coding, width: p.width, linesPerMm: lpm, bitOrder: p.bitOrder === 'msb-first' ? 'msb-first' : 'lsb-first' });
    this.inPage = true;
    this.pages++;
  }

  data(b: Uint8Array): void {
    this.bytes += b.length;
    if (this.bytes > this.req.bytes) throw lanError('malformed', 'more page data than announced (' + this.req.bytes + ' bytes)');
    if (!(this.writer as DocWriter).write(b)) throw lanError('memory-full', 'the appliance\'s memory is full');
  }

  end(): void {
    if (this.inPage && !(this.writer as DocWriter).endPage()) throw lanError('memory-full', 'the appliance\'s memory is full');
    this.inPage = false;
    this.ended = true;
  }
}
