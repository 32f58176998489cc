// The device side of FAXNIKS stays device-shaped: firmware/crypto imports only itself and the HAL
// interfaces — no @noble (BigInt at load, Uint8Array.from, 1.28 MB AES tables), no host/ code
// (the pairing suite), no node: modules.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(process.cwd(), 'firmware/crypto');

test('firmware/crypto imports only firmware/crypto, the self-test types and hal interfaces', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length >= 10);
  for (const f of files) {
    const src = readFileSync(join(dir, f), 'utf8');
    for (const m of src.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[1];
      const ok = spec.startsWith('./') || /^\.\.\/\.\.\/hal\/[a-z-]+\.ts$/.test(spec) || spec === '../selftest/selftest.ts';
      assert.ok(ok, `${f} imports ${spec}`);
    }
    const code = src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    assert.not.match(code, /\bBigInt\b|\b\d+n\b/, `${f} uses BigInt`);
  }
});

test.run();
