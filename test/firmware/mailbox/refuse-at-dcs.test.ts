// A wrong password for a box ends the call at DCS, before training and pages: the journal and the
// T.30 result say "refused", not "memory full", and nothing is stored.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bootAppliance } from '../../rig/appliance.ts';
import { newBitmap } from '../../../host/image/bitmap.ts';
import { journalEntries } from '../../../firmware/store/index.ts';

test('wrong PWD: refused at DCS with the reason, no document, no page sent', () => {
  const sess = bootAppliance({ boxes: [{ number: '12', code: '4711', pwd: '555' }] }, { seed: 'dcs' });
  let summary = '';
  sess.app.onCallEnd = (x) => (summary = x);
  const r = sess.remoteSends([newBitmap(1728, 50, 204, 196)], { sub: '12', pwd: '000' });
  for (let i = 0; i < 200 && !summary; i++) sess.runFor(1000);
  assert.match(summary, / refused \(call refused: wrong password\)$/);
  assert.is(sess.app.store.documents().length, 0);
  assert.is(r.result.pages, 0);
  assert.not.ok(r.frames.some((f) => f.dir === 'tx' && /MPS|EOP/.test(f.name)), 'no page was sent');
  const calls = journalEntries(sess.app.store).filter((e) => e.kind === 'call');
  assert.is(calls[calls.length - 1].result, 'refused: wrong password');
});

test.run();
