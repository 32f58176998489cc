// build/short-properties.mjs: which property names the device build shortens, and that the
// renaming is consistent wherever a name appears (class member, access, object key, pattern).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
// @ts-ignore — Babel ships no types here
import { transformSync } from '@babel/core';
// @ts-ignore — plain ESM script without types
import shortProperties, { shortPropertyMap, CONSOLE_NAMES } from '../../build/short-properties.mjs';

const root = process.cwd();
const map: Map<string, string> = shortPropertyMap(root);

test('long names of the firmware classes are shortened to at most four characters, each to its own', () => {
  assert.ok(map.size > 100, `${map.size} names`);
  const seen = new Set<string>();
  for (const [long, short] of map) {
    assert.ok(long.length >= 5, long);
    assert.ok(short.length <= 4 && short[0] === '$', `${long} -> ${short}`);
    assert.not.ok(seen.has(short), `${short} given twice`);
    seen.add(short);
  }
  // a private field of the kernel and a method of the Class 1 driver
  assert.ok(map.has('pendingEvents'));
  assert.ok(map.has('sendFrames'));
});

test('names that cross the bundle\'s edge keep their spelling', () => {
  // interface members (the sink's contract, settings, store records), built-ins, console names
  for (const n of ['pageStart', 'pageData', 'documents', 'setSetting', 'subarray', 'length', 'toString', 'prototype'].concat(CONSOLE_NAMES)) {
    assert.not.ok(map.has(n), n);
  }
  // a member name that is also a string literal somewhere in the firmware (`o[name]` lookups)
  assert.not.ok(map.has('journal'));
  // members of the interfaces of bench entries that print JSON for the host (bench/entries/store-device.ts)
  assert.not.ok(map.has('usage'));
  assert.not.ok(map.has('total'));
});

test('one name is renamed alike as a class member, an access, an object key and a pattern key', () => {
  const src = `class K { constructor() { this.pendingEvents = []; } sendFrames(f) { return { pendingEvents: this.pendingEvents, f }; } }
const { pendingEvents } = new K().sendFrames(1); const o = { sendFrames() { return pendingEvents; } }; o.sendFrames(); JSON.stringify({ pageStart: 1 });`;
  const out = transformSync(src, { filename: root + '/firmware/x.ts', babelrc: false, configFile: false, plugins: [shortProperties(root)] })!.code as string;
  const pe = map.get('pendingEvents')!;
  const sf = map.get('sendFrames')!;
  assert.not.match(out, /\.pendingEvents|\.sendFrames|sendFrames\(/);
  assert.ok(out.includes('this.' + pe + ' = []'), out);
  assert.ok(out.includes(sf + '(f)'), out);
  assert.ok(out.includes(pe + ': this.' + pe), out);
  assert.ok(out.includes('{\n  ' + pe + ': pendingEvents\n}') || out.includes(pe + ': pendingEvents'), out);
  assert.ok(out.includes('pageStart: 1'), out);
});

test.run();
