// CRC-32 (the IEEE 802.3 polynomial, reflected 0xEDB88320, init and final XOR 0xFFFFFFFF):
// the check value of every record on flash. Incremental (a page's CRC is accumulated chunk by
// chunk), in Int32 arithmetic that the device interpreter does exactly. Four bits a step from a
// 16-entry table: the 256-entry one cost ~75 variables on the board all the time, for about
// half the work per byte.

let table: Int32Array | null = null;

function makeTable(): Int32Array {
  const t = new Int32Array(16);
  for (let n = 0; n < 16; n++) {
    let c = n;
    for (let k = 0; k < 4; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
}

/** Continue a CRC: start with `crc32Init()`, feed bytes, finish with `crc32Final()`. */
export function crc32Init(): number {
  return -1;
}

export function crc32Update(crc: number, data: Uint8Array, start: number, end: number): number {
  if (!table) table = makeTable();
  const t = table;
  let c = crc | 0;
  for (let i = start; i < end; i++) {
    c ^= data[i];
    c = t[c & 15] ^ (c >>> 4);
    c = t[c & 15] ^ (c >>> 4);
  }
  return c;
}

/** The finished CRC as an unsigned 32-bit number. */
export function crc32Final(crc: number): number {
  return (crc ^ -1) >>> 0;
}

export function crc32(data: Uint8Array, start: number, end: number): number {
  return crc32Final(crc32Update(crc32Init(), data, start, end));
}
