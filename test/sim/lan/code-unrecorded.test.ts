// A pass code over the LAN whose attempt cannot be recorded first (the store refuses the write)
// is refused unchecked — the right code too — and the client is told why, not "no pass code".
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ANN, boot, fetch, page, receive } from './rig.ts';

test('the right code, but the attempt cannot be written: refused as unavailable, nothing sent', () => {
  const s = boot();
  receive(s, [page(7, 120)]);
  s.runFor(5000);
  const doc = s.app.store.documents().find((d) => d.meta.box === '12')!;
  assert.ok(doc);
  s.app.store.setSetting = () => false; // the settings reserve is used up
  const r = fetch(s, ANN, 'pc-ann.lan', '12', doc.id, '4711');
  assert.ok(r.err, 'refused');
  assert.is(r.err!.code, 'unavailable');
  assert.match(r.err!.message, /not checked/);
  assert.is(r.result, null);
});

test.run();
