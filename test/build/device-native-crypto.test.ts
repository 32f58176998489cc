// hal/espruino/crypto.ts on the Espruino interpreter's own crypto library (the Linux build has
// SHA256 and the AES class, as the ESP32 builds do): the driver, built with the device config,
// must give Node's SHA-256 and AES-256-CTR for the HAL's counter block. (The interpreter's own
// 'CTR' mode ignores the iv; see the driver.) Runs only when ESPRUINO names an interpreter binary.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Interpreter, interpreterPath } from './interpreter.ts';
import { createHash, createCipheriv } from 'node:crypto';

const interp = interpreterPath();

/** hal/espruino/crypto.ts alone, lowered as the device bundle is; exposes faxvault.espruinoCrypto. */
async function driverBundle(dir: string): Promise<string> {
  const { rollup } = await import('rollup');
  // @ts-ignore — plain ESM config without types
  const c = (await import('../../rollup.config.mjs')).SCRATCH_DEVICE;
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, `export { espruinoCrypto } from ${JSON.stringify(resolve('hal/espruino/crypto.ts'))};\n`);
  const file = join(dir, 'crypto.js');
  const b = await rollup({ input: entry, plugins: c.plugins, treeshake: c.treeshake });
  await b.write({ ...c.output, file });
  await b.close();
  return readFileSync(file, 'utf8');
}

const hex = (b: Uint8Array | Buffer) => Buffer.from(b).toString('hex');

if (interp) {
  test("the driver on the interpreter's crypto library: SHA-256 and AES-256-CTR as Node computes them", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fv-crypto-'));
    const key = new Uint8Array(32).map((_, i) => i * 7 + 1);
    // a carry through every octet, a carry out of the last octet after two blocks, and none (the driver's quick path)
    // and a zero counter block (the interpreter's own CTR: at-rest pages' keyed blocks)
    const ivs = [new Uint8Array(16).fill(0xff), new Uint8Array(16).map((_, i) => (i < 12 ? 0x30 + i : i === 15 ? 0xfe : 0)), new Uint8Array(16).map((_, i) => i * 11), new Uint8Array(16)];
    const data = new Uint8Array(77).map((_, i) => (i * 13 + 5) & 0xff);
    const arr = (u: Uint8Array) => '[' + Array.prototype.join.call(u, ',') + ']';
    let js = await driverBundle(dir);
    js += `
function hex(a) { var s = ''; for (var i = 0; i < a.length; i++) s += (a[i] < 16 ? '0' : '') + a[i].toString(16); return s; }
var c = faxvault.espruinoCrypto();
print('ACCEL ' + (c ? 'yes' : 'no'));
var data = new Uint8Array(${arr(data)});
var key = new Uint8Array(${arr(key)});
print('SHA ' + hex(c.sha256(data)));
${ivs.map((iv, k) => `print('CTR${k} ' + hex(c.aes256ctr(key, new Uint8Array(${arr(iv)}), data)));`).join('\n')}
var within = new Uint8Array(90); within.set(data, 3);
print('CTRSUB ' + hex(c.aes256ctr(key, new Uint8Array(${arr(ivs[1])}), within.subarray(3, 80))));
print('CTRZSUB ' + hex(c.aes256ctr(key, new Uint8Array(16), within.subarray(3, 80))));
var big = new Uint8Array(1100); for (var i = 0; i < big.length; i++) big[i] = (i * 7) & 255;
print('CTRZBIG ' + hex(c.aes256ctr(key, new Uint8Array(16), big)));
`;
    const r = await new Interpreter(interp, dir).run(js, 120000);
    const out = r.out;
    assert.not.match(out, /Uncaught/, out.slice(-2000));
    const get = (tag: string) => (new RegExp('^(?:>?\\x1b\\[J)?' + tag + ' (\\S+)', 'm').exec(out) || [])[1];
    assert.is(get('ACCEL'), 'yes', 'the driver found no native crypto: ' + out.slice(-1000));
    assert.is(get('SHA'), createHash('sha256').update(data).digest('hex'));
    ivs.forEach((iv, k) => {
      assert.is(get('CTR' + k), hex(createCipheriv('aes-256-ctr', key, iv).update(data)), 'iv ' + hex(iv));
    });
    // data that is a view at an odd offset into a larger array (the driver XORs in aligned copies)
    assert.is(get('CTRSUB'), hex(createCipheriv('aes-256-ctr', key, ivs[1]).update(data)));
    assert.is(get('CTRZSUB'), hex(createCipheriv('aes-256-ctr', key, new Uint8Array(16)).update(data)));
    const big = new Uint8Array(1100).map((_, i) => (i * 7) & 255);
    assert.is(get('CTRZBIG'), hex(createCipheriv('aes-256-ctr', key, new Uint8Array(16)).update(big)));
  });
}

test.run();
