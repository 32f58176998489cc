// The store's format on NOR flash (erase -> 0xFF, programming only clears bits).
//
// Sector (sectorSize bytes, typically 4 KB):
//   0  u32 magic 'FVS1'        4  u32 sequence (order of the log; a newly opened sector gets max+1)
//   8  u32 erase count        12  u16 header check (low 16 bits of CRC-32 of bytes 0..11)
//  14  u8  obsolete flag (0xFF = in use; anything else = its live records were copied elsewhere)
//  15  u8  spare
//  16  records, each 4-byte aligned, up to the first all-0xFF record header.
//
// Record (16-byte header + payload, padded to 4 bytes with 0xFF):
//   0  u8 type   1 u8 spare (0xFF)   2 u16 payload length   4 u32 key (document id, journal number)
//   8  u32 header CRC (CRC-32 of bytes 0..7)   12 u32 payload CRC (CRC-32 of the payload)
// A record is written with one program() and read back; it exists iff both CRCs match. A power
// cut can only tear the last record written, so mount checks the payload CRC of that one record
// only; a torn record gets its type byte cleared to 0x00, which breaks its header CRC so no later
// scan trusts its length. Nothing after a bad record is trusted, except past a BRIDGE: the mount
// that finds the newest sector torn writes a BRIDGE record where the sector's blank tail begins
// (key: the bad record's offset in the sector; payload: u32 CRC-32 of the bytes from the bad
// record up to the bridge, as they are on flash), and appends go on after it. A scan that meets
// a bad record looks for the bridge that names its offset and whose CRC covers exactly the bytes
// in between; a sector without one ends at the bad record and takes no more appends. Without
// bridges a torn sector was closed, and a tear in the last free sector (during a compaction)
// left no free sector and no head: nothing could be compacted or deleted again.
// Little-endian throughout.

export const SECTOR_MAGIC = 0x31535646; // 'FVS1' little-endian
export const SECTOR_HEADER = 16;
export const OBSOLETE_OFFSET = 14;
export const RECORD_HEADER = 16;

/** Record types (0x00 and 0xFF never used: they are what worn or blank cells read as). */
export const REC = {
  BRIDGE: 0x01, // the log's own (log.ts): key: offset of the bad record it spans; payload: u32 CRC-32 of the span
  SETTING: 0x11, // payload: name, 0x00, value bytes (latest record of a name wins)
  JOURNAL: 0x12, // key: journal number; payload: text
  DOC_OPEN: 0x21, // key: document id; payload: metadata JSON
  PAGE_DATA: 0x22, // key: document id; payload: u16 slot, u16 chunk, coded page bytes
  PAGE_END: 0x23, // key: document id; payload: u16 slot, u16 chunks, u32 bytes, u32 page check
  //   (CRC-32 over the chunks' payload CRCs in order), params JSON
  DOC_CLOSE: 0x24, // key: document id; payload: result JSON (the document's commit)
  DOC_STATE: 0x25, // key: document id; payload: state JSON (latest wins)
  DOC_DELETE: 0x26, // key: document id; no payload (tombstone)
};

export function align4(n: number): number {
  return (n + 3) & ~3;
}

export function rd16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

export function rd32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

export function wr16(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
}

export function wr32(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
}

export function allFF(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i] !== 0xff) return false;
  return true;
}

/** Text <-> bytes: 8-bit characters (the device's strings are 8-bit); JSON escapes anything above. */
export function textBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

export function bytesText(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]);
  return s;
}

/** JSON with every character above 0x7E escaped, so it survives as 8-bit bytes. */
export function asciiJson(v: unknown): string {
  const j = JSON.stringify(v);
  let out = '';
  for (let i = 0; i < j.length; i++) {
    const c = j.charCodeAt(i);
    if (c > 0x7e) {
      const h = '000' + c.toString(16);
      out += '\\u' + h.substring(h.length - 4);
    } else out += j.charAt(i);
  }
  return out;
}
