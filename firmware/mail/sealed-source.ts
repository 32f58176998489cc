// Sources of the sealed attachments of delivery mail, produced while the mail is sent (a ByteSource
// pulled by the MIME writer, which the SMTP client pulls 1 KB per event): the document's record
// stream (docs/LAN-PROTOCOL.md §4) read from flash and sealed segment by segment, so no document
// is ever whole in RAM. A damaged page throws: the SMTP client then drops the connection without
// the final dot and the server discards the mail.
import type { ByteSource } from './source.ts';
import { SealStream } from '../crypto/envelope.ts';
import type { SealParams } from '../crypto/envelope.ts';

/** Something that yields byte pieces until null (DocumentSource.next, a TIFF source…). */
export interface PieceSource {
  next(): Uint8Array | null;
}

export class SealedSource implements ByteSource {
  private sealer: SealStream;
  private out: Uint8Array | null = null;
  private pos = 0;
  private ended = false;

  constructor(params: SealParams, private plain: PieceSource) {
    this.sealer = new SealStream(params);
  }

  read(max: number): Uint8Array | null {
    while (!this.out || this.pos >= this.out.length) {
      // the segment sent is let go before the next is read and sealed (1 KB less at the peak)
      this.out = null;
      if (this.ended) return null;
      const p = this.plain.next();
      if (p === null) {
        this.out = this.sealer.finish();
        this.ended = true;
      } else this.out = this.sealer.push(p);
      this.pos = 0;
    }
    const n = Math.min(max, this.out.length - this.pos);
    const r = this.out.subarray(this.pos, this.pos + n);
    this.pos += n;
    return r;
  }
}

/** A ByteSource as pieces (for sealing a TIFF source's bytes). */
export function pieces(src: ByteSource, size: number): PieceSource {
  return {
    next: function (): Uint8Array | null {
      return src.read(size);
    },
  };
}
