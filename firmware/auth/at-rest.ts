// Confidential pages sealed at rest (issue #12 item 6): what a box holds is written to flash
// encrypted and authenticated under a key derived from the device secret (auth/device-secret.ts),
// so a copy of the flash chip shows no page. The store itself knows nothing of it: sealAtRest()
// wraps the store's beginDocument (documents of a box get a sealing writer) and readPage (a page
// whose parameters say `seal` is opened as it is read), so every reader — printing, delivery,
// fax mail, `faxvault docs` — gets the page as received, chunk by chunk (never a whole page in RAM).
//
// Per page, with a fresh 12-byte nonce N (crypto/entropy-health.ts FreshBytes, never repeated):
//   PRK        = HKDF-Extract(salt "faxvault at-rest v1", device secret)            (once)
//   K ‖ Kmac   = HKDF-Expand(PRK, "page" ‖ doc id ‖ page index ‖ N, 64)
//   ciphertext = with the engine, block by block of 1,024 octets (the page's `ctr` parameter says
//                "keyed"): block j under AES-256-CTR from a zero counter block with its own key
//                K_j = AES-256-CTR(K, N ‖ 2j, 32 zero octets), i.e. E_K(N ‖ 2j) ‖ E_K(N ‖ 2j+1)
//                (K itself enciphers nothing else, so every block's keystream is independent);
//                pages sealed before it (no `ctr`): AES-256-CTR(K, N ‖ 0^4); else ChaCha20(K, N)
//   tag        = with the engine: HMAC-SHA256(Kmac, H), H the SHA-256 chain of the ciphertext
//                (ChainMac below; the page's `mac` parameter says "sha256"), else
//                Poly1305(Kmac, ciphertext) (no `mac` parameter: also every page sealed before)
// Keyed blocks because the interpreter's AES 'CTR' mode always counts from a zero block: under a
// key of its own per block that is exactly what is wanted, and the engine then XORs the data
// natively (hal/espruino/crypto.ts), where a counter block from N needs a JavaScript XOR step per
// four octets — most of the seal's cost on an ESP32 receiving at line rate (docs/ESPRUINO.md).
// N and the tag go in the page's parameters (`seal`, `tag`, hex), which the store writes with the
// page's commit. With the engine every octet is hashed and enciphered natively: Poly1305 in
// JavaScript costs an ESP32 more than the line's pace allows (docs/FAX-LINE.md, keeping up). The length is unchanged (a stream cipher), so sizes and offsets stay as stored.
// A page whose tag does not verify ends its reader with an error, as a damaged page does.
import type { CryptoAccel } from '../../hal/crypto.ts';
import type { Entropy } from '../../hal/entropy.ts';
import type { Store, DocMeta, PageParams } from '../store/index.ts';
import { ascii, concat, equalCT, fromHex, toHex, u32be } from '../crypto/bytes.ts';
import { chachaBlock } from '../crypto/chacha20.ts';
import { hkdfExpand, hkdfExtract, hmac } from '../crypto/hkdf.ts';
import { Poly1305 } from '../crypto/poly1305.ts';
import { sha256 } from '../crypto/sha256.ts';
import type { HashFn } from '../crypto/sha256.ts';

export interface AtRestKeys {
  prk: Uint8Array;
  accel: CryptoAccel | null;
  entropy: Entropy;
}

export function atRestKeys(deviceSecret: Uint8Array, accel: CryptoAccel | null, entropy: Entropy): AtRestKeys {
  return { prk: hkdfExtract(sha256, ascii('faxvault at-rest v1'), deviceSecret), accel: accel, entropy: entropy };
}

/** The MAC of a page's ciphertext, fed in pieces of any size. */
export interface PageMac {
  update(c: Uint8Array): void;
  digest(): Uint8Array;
}

/** Octets per link of the SHA-256 chain, and per key of a keyed page. */
const CHAIN_BLOCK = 1024;
const ZERO_IV = new Uint8Array(16);

/**
 * HMAC-SHA256 under Kmac of H, where h0 is 32 zero octets, h_i = SHA-256(h_(i-1) ‖ block_i) for
 * each full block of 1,024 octets of ciphertext, and H = SHA-256(h_n ‖ the last, shorter block
 * ‖ the length in octets, 8 octets big-endian): Merkle–Damgård over SHA-256 itself, so H is as
 * collision resistant as SHA-256 and the HMAC keys it. Only the engine's one-shot SHA-256 is
 * needed, a call per 1,024 octets.
 */
export class ChainMac implements PageMac {
  private work = new Uint8Array(32 + CHAIN_BLOCK);
  private fill = 0;
  private total = 0;

  constructor(private readonly key: Uint8Array, private readonly hash: HashFn) {}

  update(c: Uint8Array): void {
    let i = 0;
    while (i < c.length) {
      const n = Math.min(CHAIN_BLOCK - this.fill, c.length - i);
      this.work.set(c.subarray(i, i + n), 32 + this.fill);
      this.fill += n;
      i += n;
      if (this.fill === CHAIN_BLOCK) {
        this.work.set(this.hash(this.work), 0);
        this.fill = 0;
      }
    }
    this.total += c.length;
  }

  digest(): Uint8Array {
    const end = new Uint8Array(32 + this.fill + 8);
    end.set(this.work.subarray(0, 32 + this.fill));
    end.set(u32be(Math.floor(this.total / 4294967296)), 32 + this.fill);
    end.set(u32be(this.total % 4294967296), 36 + this.fill);
    return hmac(this.hash, this.key, this.hash(end));
  }
}

/** The keystream of one page, consumed in pieces of any size. */
export class PageCipher {
  private pos = 0;
  private block = new Uint8Array(64);
  private blockNo = -1;
  readonly mac: PageMac;
  /** 'sha256' (ChainMac, the engine's SHA-256) or 'poly1305'. */
  readonly macKind: string;
  private key: Uint8Array;
  private iv: Uint8Array;
  private accel: CryptoAccel | null;
  /** With the engine: a key per block of 1,024 octets (`ctr` "keyed"); `blockKey` is block `keyNo`'s. */
  readonly keyed: boolean;
  private blockKey: Uint8Array = ZERO_IV;
  private keyNo = -1;

  /**
   * `macKind` and `keyed`: as the page says when it is read; a new page takes ChainMac and keyed
   * blocks when the board has the engine.
   */
  constructor(keys: AtRestKeys, docId: number, page: number, readonly nonce: Uint8Array, macKind?: string, keyed?: boolean) {
    const m = hkdfExpand(sha256, keys.prk, concat([ascii('page'), u32be(docId), u32be(page), nonce]), 64);
    this.key = m.subarray(0, 32);
    this.macKind = macKind || (keys.accel ? 'sha256' : 'poly1305');
    const accel = keys.accel;
    const hash: HashFn = accel
      ? function (d: Uint8Array): Uint8Array {
          return accel.sha256(d);
        }
      : sha256;
    this.mac = this.macKind === 'sha256' ? new ChainMac(m.subarray(32, 64), hash) : new Poly1305(m.subarray(32, 64));
    this.iv = new Uint8Array(16);
    this.iv.set(nonce);
    this.accel = keys.accel;
    this.keyed = !!keys.accel && (keyed !== undefined ? keyed : !macKind);
  }

  /** Keystream bytes [pos, pos + n) XORed into a copy of `data`. */
  private xor(data: Uint8Array): Uint8Array {
    const a = this.accel;
    if (a && this.keyed) {
      // block by block: the part of `data` in block j under K_j, from the block's start (a
      // piece that begins inside a block is padded in front and the padding dropped)
      let out: Uint8Array | null = null;
      let i = 0;
      while (i < data.length) {
        const p = this.pos + i;
        const j = Math.floor(p / CHAIN_BLOCK);
        const off = p - j * CHAIN_BLOCK;
        const n = Math.min(CHAIN_BLOCK - off, data.length - i);
        if (j !== this.keyNo) {
          const iv = new Uint8Array(16);
          iv.set(this.nonce);
          iv.set(u32be(2 * j), 12);
          this.blockKey = a.aes256ctr(this.key, iv, new Uint8Array(32));
          this.keyNo = j;
        }
        let input = data.subarray(i, i + n);
        if (off > 0) {
          input = new Uint8Array(off + n);
          input.set(data.subarray(i, i + n), off);
        }
        let c = a.aes256ctr(this.blockKey, ZERO_IV, input);
        if (off > 0) c = c.subarray(off);
        if (n === data.length) {
          out = c; // the whole piece in one block: no copy
        } else {
          if (!out) out = new Uint8Array(data.length);
          out.set(c, i);
        }
        i += n;
      }
      this.pos += data.length;
      return out || new Uint8Array(0);
    }
    if (a) {
      // The engine works in whole 16-byte blocks from a counter: cover the range, skip the head.
      const first = Math.floor(this.pos / 16);
      const skip = this.pos - first * 16;
      const iv = new Uint8Array(16);
      iv.set(this.iv);
      let c = first;
      for (let i = 15; i >= 12; i--) {
        iv[i] = c & 0xff;
        c = Math.floor(c / 256);
      }
      // the engine XORs the data itself (no JavaScript step per octet: the board receives at line rate)
      let input = data;
      if (skip > 0) {
        input = new Uint8Array(skip + data.length);
        input.set(data, skip);
      }
      const sealed = a.aes256ctr(this.key, iv, input);
      this.pos += data.length;
      return skip > 0 ? sealed.subarray(skip) : sealed;
    }
    const out = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const p = this.pos + i;
      const b = Math.floor(p / 64);
      if (b !== this.blockNo) {
        chachaBlock(this.key, b, this.nonce, this.block);
        this.blockNo = b;
      }
      out[i] = data[i] ^ this.block[p - b * 64];
    }
    this.pos += data.length;
    return out;
  }

  seal(plain: Uint8Array): Uint8Array {
    const c = this.xor(plain);
    this.mac.update(c);
    return c;
  }

  open(sealed: Uint8Array): Uint8Array {
    this.mac.update(sealed);
    return this.xor(sealed);
  }
}

/** Is this document one whose pages are sealed (a confidential box's)? */
export function sealsDocument(meta: DocMeta): boolean {
  return !!meta.box;
}

/**
 * Seal the pages of confidential documents on this store from now on, and open sealed pages when
 * read. `keys` null (no device secret): sealed pages cannot be read, and new confidential pages
 * are refused rather than stored in clear.
 */
export function sealAtRest(store: Store, keys: AtRestKeys | null): void {
  const begin = store.beginDocument.bind(store);
  store.beginDocument = function (meta: DocMeta) {
    const w = begin(meta);
    if (!w || !sealsDocument(meta)) return w;
    const beginPage = w.beginPage.bind(w);
    const write = w.write.bind(w);
    const endPage = w.endPage.bind(w);
    let cur: PageCipher | null = null;
    let params: PageParams | null = null;
    w.beginPage = function (p: PageParams) {
      if (!keys) throw new Error('at rest: no device secret, a confidential page cannot be sealed');
      const nonce = new Uint8Array(12);
      keys.entropy.fill(nonce); // throws when the entropy source failed: the page is refused
      cur = new PageCipher(keys, w.id, w.pages(), nonce);
      params = p;
      p.seal = toHex(nonce);
      if (cur.macKind === 'sha256') p.mac = 'sha256';
      if (cur.keyed) p.ctr = 'keyed';
      beginPage(p);
    };
    w.write = function (data: Uint8Array) {
      return write(cur ? cur.seal(data) : data);
    };
    w.endPage = function () {
      if (cur && params) params.tag = toHex(cur.mac.digest());
      cur = null;
      return endPage();
    };
    return w;
  };
  const readPage = store.readPage.bind(store);
  store.readPage = function (id: number, page: number) {
    const r = readPage(id, page);
    const p = r ? store.pageParams(id, page) : null;
    if (!r) return r;
    if (!p) {
      // The page's record no longer passes its check (read from flash when asked for): its seal
      // and tag are lost with it, so the page cannot be opened — never passed on as it lies.
      r.next = function () {
        r.error = 'document ' + id + ' page ' + (page + 1) + ': page record damaged';
        return null;
      };
      return r;
    }
    if (typeof p.seal !== 'string') return r;
    const next = r.next.bind(r);
    if (!keys) {
      r.next = function () {
        r.error = 'document ' + id + ' page ' + (page + 1) + ': sealed, and no device secret to open it';
        return null;
      };
      return r;
    }
    const c = new PageCipher(keys, id, page, fromHex(p.seal as string), p.mac === 'sha256' ? 'sha256' : 'poly1305', p.ctr === 'keyed');
    const tag = typeof p.tag === 'string' ? fromHex(p.tag) : new Uint8Array(0);
    let checked = false;
    r.next = function () {
      const b = next();
      if (b) return c.open(b);
      if (!checked && !r.error && !equalCT(c.mac.digest(), tag)) r.error = 'document ' + id + ' page ' + (page + 1) + ': seal check failed';
      checked = true;
      return null;
    };
    return r;
  };
}
