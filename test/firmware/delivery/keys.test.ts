// firmware/delivery/keys.ts: the appliance's FAXNIKS key provisioned into the store and loaded
// from it. The share is not held by the loaded agreement (a board does not keep ~300 variables
// of it while idle): it is read from the store when a pair key is computed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadKey, provisionKey, KEY_SETTING } from '../../../firmware/delivery/keys.ts';
import { PolyAgreement } from '../../../firmware/crypto/poly.ts';
import { polyMaster, polyShare } from '../../../host/crypto/poly-center.ts';

function mapStore() {
  const m: { [k: string]: string } = {};
  return { m, getSetting: (k: string) => m[k] ?? null, setSetting: (k: string, v: string) => ((m[k] = v), true) };
}

const master = polyMaster(new Uint8Array(32).fill(7), 1, 255);
const ME = 'host:fax.lan';
const PEER = 'host:pc-ann.lan';

/** Every Uint8Array reachable from `o` (own properties, one level of nesting). */
function bytesHeld(o: object): number {
  let n = 0;
  for (const v of Object.values(o)) {
    if (v instanceof Uint8Array) n += v.length;
    else if (v && typeof v === 'object') for (const w of Object.values(v)) if (w instanceof Uint8Array) n += w.length;
  }
  return n;
}

test('a loaded key computes the same pair keys as its share, without holding the share', () => {
  const st = mapStore();
  const share = polyShare(master, ME);
  assert.is(share.length, 16 * 256);
  assert.ok(provisionKey(st, ME, 1, share));
  const problems: string[] = [];
  const a = loadKey(st, (w) => problems.push(w));
  assert.ok(a, problems.join());
  assert.is(a!.identity, ME);
  assert.is(bytesHeld(a!), 0, 'no share bytes kept in the agreement');
  const held = new PolyAgreement(ME, 1, share);
  assert.equal(Array.from(a!.rawKey(PEER)), Array.from(held.rawKey(PEER)));
  assert.equal(Array.from(a!.share()), Array.from(share));
  // Both ends agree: the peer's own share gives the same raw key.
  assert.equal(Array.from(new PolyAgreement(PEER, 1, polyShare(master, PEER)).rawKey(ME)), Array.from(a!.rawKey(PEER)));
});

test('a damaged key is refused at load with its reason; a part lost afterwards fails the computation clearly', () => {
  const st = mapStore();
  assert.ok(provisionKey(st, ME, 1, polyShare(master, ME)));
  const lost = mapStore();
  Object.assign(lost.m, st.m);
  delete lost.m['faxniks.share.2'];
  const why: string[] = [];
  assert.is(loadKey(lost, (w) => why.push(w)), null);
  assert.match(why[0], /share part 2 missing/);
  const short = mapStore();
  Object.assign(short.m, st.m);
  short.m['faxniks.share.3'] = short.m['faxniks.share.3'].slice(2);
  why.length = 0;
  assert.is(loadKey(short, (w) => why.push(w)), null);
  assert.match(why[0], /share length 4095 instead of 4096/);
  // Loaded whole, then a part goes (a store damaged later): the next computation says so.
  const a = loadKey(st)!;
  delete st.m['faxniks.share.0'];
  assert.throws(() => a.rawKey(PEER), /share part 0 missing/);
  assert.ok(st.m[KEY_SETTING]);
});

test.run();
