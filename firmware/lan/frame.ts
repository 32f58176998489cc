// The LAN protocol's frames (docs/LAN-PROTOCOL.md §2): every byte on the connection belongs to a
// frame `type(1) ‖ length(u32 big-endian) ‖ payload(length)`. Each type has its own length limit,
// checked as soon as the 5-byte frame header is in, so an oversize length is refused before a
// byte of its payload is buffered. FrameReader is incremental and holds at most one frame's
// payload (≤ the largest limit); it is shared by the appliance and the client program.
import { ascii, fromAscii, writeU32, readU32 } from '../crypto/bytes.ts';
import { CHALLENGE_BYTES } from '../crypto/envelope.ts';
// lanError lives apart (lan-error.ts) so that the message bodies (messages.ts), which the mail
// delivery uses too, do not bring the frame code along on the device.
import { lanError } from './lan-error.ts';
export { lanError };
export type { LanError } from './lan-error.ts';

export const FRAME_HELLO = 0x48; // 'H'
export const FRAME_MESSAGE = 0x4d; // 'M'
export const FRAME_CHUNK = 0x43; // 'C'
export const FRAME_END = 0x45; // 'E'
export const FRAME_CLEAR = 0x50; // 'P' a piece of the unencrypted image (protection "text")
export const FRAME_ERROR = 0x58; // 'X'

export const FRAME_HEADER_BYTES = 5;
/** Magic and version at the start of a HELLO: a stray client (HTTP, telnet) is told so at once. */
export const HELLO_MAGIC = 'FXLN';
export const PROTOCOL_VERSION = 1;

/** Payload limits per frame type (bytes). */
export function frameLimit(type: number): number {
  if (type === FRAME_HELLO) return 4 + 1 + CHALLENGE_BYTES + 1 + 255;
  if (type === FRAME_MESSAGE) return 16384;
  if (type === FRAME_CHUNK || type === FRAME_CLEAR) return 16384;
  if (type === FRAME_END) return 0;
  if (type === FRAME_ERROR) return 512;
  return -1;
}

export function frameName(type: number): string {
  if (type === FRAME_HELLO) return 'HELLO';
  if (type === FRAME_MESSAGE) return 'MESSAGE';
  if (type === FRAME_CHUNK) return 'CHUNK';
  if (type === FRAME_END) return 'END';
  if (type === FRAME_CLEAR) return 'CLEAR';
  if (type === FRAME_ERROR) return 'ERROR';
  return 'type 0x' + type.toString(16);
}

export function encodeFrame(type: number, payload: Uint8Array): Uint8Array {
  const limit = frameLimit(type);
  if (limit < 0) throw new Error('lan: unknown frame type 0x' + type.toString(16));
  if (payload.length > limit) throw new Error('lan: ' + frameName(type) + ' payload of ' + payload.length + ' bytes exceeds ' + limit);
  const out = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  out[0] = type;
  writeU32(out, 1, payload.length);
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
}

export interface Hello {
  version: number;
  challenge: Uint8Array;
  identity: string;
}

export function encodeHello(h: Hello): Uint8Array {
  const id = ascii(h.identity);
  const p = new Uint8Array(4 + 1 + CHALLENGE_BYTES + 1 + id.length);
  p.set(ascii(HELLO_MAGIC), 0);
  p[4] = h.version;
  p.set(h.challenge, 5);
  p[5 + CHALLENGE_BYTES] = id.length;
  p.set(id, 6 + CHALLENGE_BYTES);
  return encodeFrame(FRAME_HELLO, p);
}

/** Parses a HELLO payload; throws a LanError('malformed') naming what is wrong. */
export function decodeHello(p: Uint8Array): Hello {
  if (p.length < 6 + CHALLENGE_BYTES || fromAscii(p.subarray(0, 4)) !== HELLO_MAGIC) throw lanError('malformed', 'not a faxvault LAN hello');
  const n = p[5 + CHALLENGE_BYTES];
  if (p.length !== 6 + CHALLENGE_BYTES + n) throw lanError('malformed', 'hello length does not match its identity');
  const ch = new Uint8Array(CHALLENGE_BYTES);
  ch.set(p.subarray(5, 5 + CHALLENGE_BYTES));
  return { version: p[4], challenge: ch, identity: fromAscii(p.subarray(6 + CHALLENGE_BYTES)) };
}

export function encodeError(code: string, text: string): Uint8Array {
  let s = code + ' ' + text;
  if (s.length > 500) s = s.substring(0, 500);
  let clean = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    clean += c >= 0x20 && c < 0x7f ? s.charAt(i) : '?';
  }
  return encodeFrame(FRAME_ERROR, ascii(clean));
}

export function decodeError(p: Uint8Array): { code: string; text: string } {
  const s = fromAscii(p);
  const sp = s.indexOf(' ');
  return sp < 0 ? { code: s, text: '' } : { code: s.substring(0, sp), text: s.substring(sp + 1) };
}


export interface Frame {
  type: number;
  payload: Uint8Array;
}

/**
 * Splits a byte stream into frames. push() takes any chunk; next() returns a complete frame or
 * null. Throws LanError 'frame' for an unknown type or an oversize length (the connection must
 * then be closed: the stream cannot be resynchronized).
 */
export class FrameReader {
  private head = new Uint8Array(FRAME_HEADER_BYTES);
  private headFill = 0;
  private body: Uint8Array | null = null;
  private bodyFill = 0;
  private type = 0;
  private queue: Uint8Array[] = [];
  private qpos = 0;
  /** Bytes pushed but not yet returned in a frame. */
  buffered = 0;

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.queue.push(bytes);
    this.buffered += bytes.length;
  }

  next(): Frame | null {
    while (this.queue.length > 0) {
      const q = this.queue[0];
      if (this.body === null) {
        while (this.headFill < FRAME_HEADER_BYTES && this.qpos < q.length) this.head[this.headFill++] = q[this.qpos++];
        if (this.headFill === FRAME_HEADER_BYTES) {
          this.type = this.head[0];
          const len = readU32(this.head, 1);
          const limit = frameLimit(this.type);
          if (limit < 0) throw lanError('frame', 'unknown frame ' + frameName(this.type));
          if (len > limit) throw lanError('frame', frameName(this.type) + ' of ' + len + ' bytes exceeds the limit of ' + limit);
          this.body = new Uint8Array(len);
          this.bodyFill = 0;
        }
      }
      if (this.body !== null) {
        const take = Math.min(this.body.length - this.bodyFill, q.length - this.qpos);
        this.body.set(q.subarray(this.qpos, this.qpos + take), this.bodyFill);
        this.bodyFill += take;
        this.qpos += take;
      }
      if (this.qpos >= q.length) {
        this.queue.shift();
        this.qpos = 0;
      }
      if (this.body !== null && this.bodyFill === this.body.length) {
        const f = { type: this.type, payload: this.body };
        this.buffered -= FRAME_HEADER_BYTES + this.body.length;
        this.body = null;
        this.headFill = 0;
        return f;
      }
    }
    return null;
  }
}
