// Issue #12 item 6 as an attacker with the flash chip sees it: confidential pages were stored in
// clear, and the pass code hashes (16 PBKDF2 rounds, 4 digits) fell to an offline search of a
// dump. Now the pages are sealed under the device secret and the hashes bound to it; the device
// secret lives in the board's key store (the simulator's DIR/keystore.json), not in flash.bin.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCipheriv, hkdfSync } from 'node:crypto';
import { parseKeyScript } from '../../../sim/board/keypad.ts';
import { SimFlash } from '../../../sim/board/flash.ts';
import { Store } from '../../../firmware/store/index.ts';
import { hashCode } from '../../../firmware/auth/index.ts';
import { sealAtRest, atRestKeys, PageCipher } from '../../../firmware/auth/at-rest.ts';
import { nodeCryptoAccel } from '../../../host/crypto/node-accel.ts';
import { SeededEntropy } from '../../../sim/board/entropy.ts';
import { CutFlash } from '../store/cut-flash.ts';
import { RECORD_HEADER } from '../../../firmware/store/layout.ts';
import { page, samePage } from '../../sim/appliance/helpers.ts';
import { bootAppliance, untilCallEnds } from '../../rig/appliance.ts';

const SENT = [page(3, 300), page(4, 200)];

function boot(dir: string) {
  return bootAppliance({ fax: { ringsBeforeAnswer: 1 }, panel: { adminCode: '24681357' }, boxes: [{ number: '12', owner: 'ann@example.com', code: '4711' }] }, { seed: 'at-rest', dataDir: dir });
}

function readAll(store: Store, id: number, i: number): { data: Buffer; error: string | null } {
  const r = store.readPage(id, i)!;
  const parts: Uint8Array[] = [];
  for (let b = r.next(); b; b = r.next()) parts.push(b.slice());
  return { data: Buffer.concat(parts), error: r.error };
}

test('item 6: a dump of the flash holds no page of a confidential document, and no device secret', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fv-at-rest-'));
  const s = boot(dir);
  s.remoteSends(SENT, { sub: '12' });
  untilCallEnds(s, { settleMs: 20000 });
  const doc = s.app.mailbox.kept('12')[0];
  assert.ok(doc, 'kept in box 12');
  const plain = readAll(s.app.store, doc.id, 0);
  assert.is(plain.error, null);
  assert.ok(plain.data.length > 1000);
  s.sim.flash.close();
  // The attacker's view: flash.bin alone, read with a store that knows nothing of sealing.
  const dump = readFileSync(join(dir, 'flash.bin'));
  const f = new SimFlash({ file: join(dir, 'flash.bin') });
  const raw = new Store(f);
  raw.mount();
  const stored = readAll(raw, doc.id, 0);
  assert.is(stored.data.length, plain.data.length, 'same size (a stream cipher)');
  assert.not.ok(stored.data.equals(plain.data), 'not the page as received');
  for (let at = 0; at + 32 <= plain.data.length; at += 997) {
    assert.is(dump.indexOf(plain.data.subarray(at, at + 32)), -1, 'no 32 bytes of the page in the dump (offset ' + at + ')');
  }
  const keyStore = JSON.parse(readFileSync(join(dir, 'keystore.json'), 'utf8'));
  const secret = Buffer.from(keyStore['device-secret'], 'hex');
  assert.is(secret.length, 32);
  assert.is(dump.indexOf(secret), -1, 'the device secret is not in flash.bin');
  // An offline search of the box code with the stored salt finds nothing: even the right code
  // does not give the stored hash without the device secret.
  const settings = JSON.parse(raw.getSetting('settings') ?? 'null') ?? s.app.settings;
  const box = (settings.boxes ?? (s.app.settings.boxes as object[]))[0] as { codeHash: string; codeSalt: string; codeIter: number };
  assert.is.not(hashCode('4711', box.codeSalt, box.codeIter), box.codeHash);
  f.close();
  // The owner, with the appliance: box 12 and the code print it pixel for pixel.
  const t = boot(dir);
  t.runScript(parseKeyScript('BOX 12 OK 4711 OK wait:20s'));
  assert.is(t.sim.printer.pages.length, 2);
  assert.is(samePage(SENT[0], t.sim.printer.pages[0]), null);
  assert.is(samePage(SENT[1], t.sim.printer.pages[1]), null);
  t.sim.flash.close();
});

test('a sealed page changed in flash is refused when read; ordinary documents stay as they are', () => {
  const flash = new CutFlash(4096, 32);
  const store = new Store(flash);
  store.mount();
  const keys = atRestKeys(new Uint8Array(32).fill(5), null, new SeededEntropy('x'));
  sealAtRest(store, keys);
  const data = new Uint8Array(3000).map((_, i) => (i * 7) & 0xff);
  for (const box of ['12', '']) {
    const w = store.beginDocument({ dir: 'rx', time: 0, remote: 'r', sub: box, box })!;
    w.beginPage({ coding: 'mh', width: 1728, linesPerMm: 3.85, bitOrder: 'lsb-first' });
    for (let i = 0; i < data.length; i += 333) assert.ok(w.write(data.subarray(i, i + 333)));
    assert.ok(w.endPage());
    w.close('ok');
  }
  const [conf, ord] = store.documents();
  assert.ok(readAll(store, conf.id, 0).data.equals(Buffer.from(data)));
  assert.ok(readAll(store, ord.id, 0).data.equals(Buffer.from(data)));
  assert.is(store.pageParams(ord.id, 0)!.seal, undefined, 'ordinary pages are not sealed');
  // Another board (another device secret) cannot open it.
  const other = new Store(flash);
  other.mount();
  sealAtRest(other, atRestKeys(new Uint8Array(32).fill(6), null, new SeededEntropy('y')));
  assert.match(String(readAll(other, conf.id, 0).error), /seal check failed/);
  const none = new Store(flash);
  none.mount();
  sealAtRest(none, null);
  assert.match(String(readAll(none, conf.id, 0).error), /no device secret/);
  // The page's record (its seal and tag are read from flash when the page is read) damaged after
  // the mount: the page is refused, never handed on as the ciphertext that lies in flash.
  const end = store.docs.page(conf.id, 0)!.endAddr;
  flash.mem[end + RECORD_HEADER + 14] ^= 0x20;
  assert.is(store.pageParams(conf.id, 0), null);
  const damaged = readAll(store, conf.id, 0);
  assert.is(damaged.data.length, 0);
  assert.match(String(damaged.error), /page record damaged/);
});

test('the board engine (AES-256-CTR) and ChaCha20 each read back what they wrote, in any chunking', () => {
  const nonce = new Uint8Array(12).fill(1);
  for (const accel of [null, nodeCryptoAccel]) {
    const keys = atRestKeys(new Uint8Array(32).fill(2), accel, new SeededEntropy('z'));
    const data = new Uint8Array(1000).map((_, i) => i & 0xff);
    const w = new PageCipher(keys, 1, 0, nonce);
    const sealed = Buffer.concat([1, 15, 16, 17, 63, 64, 65, 759].reduce((acc: Uint8Array[], n, k, all) => {
      const at = all.slice(0, k).reduce((a, b) => a + b, 0);
      acc.push(w.seal(data.subarray(at, at + n)));
      return acc;
    }, []));
    const r = new PageCipher(keys, 1, 0, nonce);
    const back = Buffer.concat([r.open(sealed.subarray(0, 500)), r.open(sealed.subarray(500))]);
    assert.ok(back.equals(Buffer.from(data)), accel ? 'aes' : 'chacha');
    assert.equal(w.mac.digest(), r.mac.digest());
  }
});

test('with the engine a page is authenticated by HMAC over a SHA-256 chain (mac "sha256"): any chunking, JavaScript or engine, the same tag; another octet or length another tag; another secret refused; Poly1305 pages still open', () => {
  const flash = new CutFlash(4096, 64);
  const secret = new Uint8Array(32).fill(9);
  const store = new Store(flash);
  store.mount();
  sealAtRest(store, atRestKeys(secret, nodeCryptoAccel, new SeededEntropy('e')));
  const data = new Uint8Array(5000).map((_, i) => (i * 13 + (i >> 8)) & 0xff); // several links of 1,024 and a short one
  const w = store.beginDocument({ dir: 'rx', time: 0, remote: 'r', sub: '12', box: '12' })!;
  w.beginPage({ coding: 'mh', width: 1728, linesPerMm: 3.85, bitOrder: 'lsb-first' });
  for (let i = 0; i < data.length; i += 256) assert.ok(w.write(data.subarray(i, i + 256)));
  assert.ok(w.endPage());
  // a page sealed as before this MAC (Poly1305 under the engine's AES): written with its parameters by hand
  const keys = atRestKeys(secret, nodeCryptoAccel, new SeededEntropy('f'));
  const nonce = new Uint8Array(12).fill(3);
  const old = new PageCipher(keys, w.id, 1, nonce, 'poly1305');
  const sealed = old.seal(data);
  w.close('ok');
  const conf = store.documents()[0];
  assert.is(store.pageParams(conf.id, 0)!.mac, 'sha256');
  assert.ok(readAll(store, conf.id, 0).data.equals(Buffer.from(data)));
  // a board without the engine computes the same tag with its JavaScript SHA-256, in any chunking
  const js = new PageCipher(atRestKeys(secret, null, new SeededEntropy('g')), conf.id, 0, new Uint8Array(12), 'sha256');
  const eng = new PageCipher(keys, conf.id, 0, new Uint8Array(12), 'sha256');
  const ct = new Uint8Array(3000).map((_, i) => i & 0xff);
  js.mac.update(ct.subarray(0, 1500));
  js.mac.update(ct.subarray(1500));
  eng.mac.update(ct);
  assert.equal(js.mac.digest(), eng.mac.digest(), 'the same tag from any chunking, JavaScript or the engine');
  // one octet more, or one changed, is another tag
  const more = new PageCipher(keys, conf.id, 0, new Uint8Array(12), 'sha256');
  more.mac.update(ct);
  more.mac.update(new Uint8Array(1));
  const changed = new PageCipher(keys, conf.id, 0, new Uint8Array(12), 'sha256');
  const ct2 = ct.slice();
  ct2[2999] ^= 1;
  changed.mac.update(ct2);
  const base = new PageCipher(keys, conf.id, 0, new Uint8Array(12), 'sha256');
  base.mac.update(ct);
  const tag = Buffer.from(base.mac.digest()).toString('hex');
  assert.is.not(Buffer.from(more.mac.digest()).toString('hex'), tag);
  assert.is.not(Buffer.from(changed.mac.digest()).toString('hex'), tag);
  // another device secret: the chain's HMAC does not verify
  const other = new Store(flash);
  other.mount();
  sealAtRest(other, atRestKeys(new Uint8Array(32).fill(8), nodeCryptoAccel, new SeededEntropy('h')));
  assert.match(String(readAll(other, conf.id, 0).error), /seal check failed/);
  // the old page: its parameters say no `mac`, so Poly1305 checks it
  const r = new PageCipher(keys, w.id, 1, nonce, 'poly1305');
  assert.ok(Buffer.from(r.open(sealed)).equals(Buffer.from(data)));
  assert.equal(r.mac.digest(), old.mac.digest());
});

test('with the engine a page is ciphered in keyed blocks of 1,024 (ctr "keyed"): as the format says, computed by Node; any chunking across blocks reads back', () => {
  const flash = new CutFlash(4096, 64);
  const secret = new Uint8Array(32).map((_, i) => i + 1);
  const store = new Store(flash);
  store.mount();
  sealAtRest(store, atRestKeys(secret, nodeCryptoAccel, new SeededEntropy('k')));
  const data = new Uint8Array(3500).map((_, i) => (i * 29 + (i >> 9)) & 0xff);
  const w = store.beginDocument({ dir: 'rx', time: 0, remote: 'r', sub: '12', box: '12' })!;
  w.beginPage({ coding: 'mr', width: 1728, linesPerMm: 7.7, bitOrder: 'lsb-first' });
  // pieces that start inside a block and run over its end
  for (const [at, n] of [[0, 1000], [1000, 100], [1100, 1500], [2600, 900]]) assert.ok(w.write(data.subarray(at, at + n)));
  assert.ok(w.endPage());
  w.close('ok');
  const id = store.documents()[0].id;
  const p = store.pageParams(id, 0)!;
  assert.is(p.ctr, 'keyed');
  assert.is(p.mac, 'sha256');
  // the format, from its description (docs/SECURITY.md), with Node's HKDF and AES
  const km = Buffer.from(hkdfSync('sha256', secret, Buffer.from('faxvault at-rest v1'), Buffer.concat([Buffer.from('page'), u32(id), u32(0), Buffer.from(p.seal as string, 'hex')]), 64));
  const expect: Buffer[] = [];
  for (let j = 0; j * 1024 < data.length; j++) {
    const iv = Buffer.concat([Buffer.from(p.seal as string, 'hex'), u32(2 * j)]);
    const kj = createCipheriv('aes-256-ctr', km.subarray(0, 32), iv).update(Buffer.alloc(32));
    expect.push(createCipheriv('aes-256-ctr', kj, Buffer.alloc(16)).update(data.subarray(j * 1024, (j + 1) * 1024)));
  }
  const stored = rawPage(store, id);
  assert.ok(stored.equals(Buffer.concat(expect)), 'the stored ciphertext is the format\'s');
  assert.ok(readAll(store, id, 0).data.equals(Buffer.from(data)));
  // one cipher, pieces of any size across the blocks, sealed and opened in other pieces
  const keys = atRestKeys(secret, nodeCryptoAccel, new SeededEntropy('m'));
  const nonce = new Uint8Array(12).fill(5);
  const seal = new PageCipher(keys, 7, 2, nonce);
  assert.ok(seal.keyed);
  const parts: Uint8Array[] = [];
  for (let at = 0, k = 0; at < data.length; k++) {
    const n = [1, 1023, 1, 2047, 3, 500, 17][k % 7];
    parts.push(seal.seal(data.subarray(at, at + n)).slice());
    at += n;
  }
  const sealed = Buffer.concat(parts);
  const open = new PageCipher(keys, 7, 2, nonce, 'sha256', true);
  const back = Buffer.concat([open.open(sealed.subarray(0, 1024)).slice(), open.open(sealed.subarray(1024, 1030)).slice(), open.open(sealed.subarray(1030)).slice()]);
  assert.ok(back.equals(Buffer.from(data)));
  assert.equal(seal.mac.digest(), open.mac.digest());
  // a page sealed before keyed blocks (no `ctr`) is opened the old way, not as keyed
  const before = new PageCipher(keys, 7, 2, nonce, 'sha256', false);
  assert.not.ok(before.keyed);
  assert.not.ok(Buffer.from(before.open(sealed)).equals(Buffer.from(data)));
});

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** A page's bytes as stored (sealed), read with sealing taken off the store. */
function rawPage(store: Store, id: number): Buffer {
  const plain = new Store((store as any).log.flash);
  plain.mount();
  return readAll(plain, id, 0).data;
}

test.run();
