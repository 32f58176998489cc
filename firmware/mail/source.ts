// A pull source of bytes: how a message body reaches the SMTP client and how an attachment reaches
// the MIME writer, a piece at a time, so no whole message is ever held in RAM.

export interface ByteSource {
  /**
   * Up to `max` next bytes (at least one unless at the end); null at the end. May throw when the
   * storage behind it fails; the reader then abandons the message (SMTP sends no final dot).
   */
  read(max: number): Uint8Array | null;
}

/** A source over bytes already in memory (sealed envelopes, test data). */
export function bytesSource(b: Uint8Array): ByteSource {
  let o = 0;
  return {
    read: function (max: number): Uint8Array | null {
      if (o >= b.length) return null;
      const n = Math.min(max, b.length - o);
      const out = b.subarray(o, o + n);
      o += n;
      return out;
    },
  };
}
