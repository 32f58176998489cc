// The web panel's view of a call in progress, sampled in virtual time while a remote machine
// sends two pages with ECM (MMR) to box 12: phase, rate, coding, page n, ECM block and frames;
// the sender of a confidential call is not shown; the counts change when the call ends.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { snapshot } from '../../../sim/web/snapshot.ts';
import { boot, page } from '../appliance/helpers.ts';

test('an ECM call to box 12 as the panel shows it', () => {
  const s = boot(null);
  s.runFor(1000);
  assert.is(snapshot(s).call, null);
  const empty = snapshot(s).memory;
  assert.equal(empty, { size: '1 MB', freePages: empty.freePages, totalPages: 17 });
  assert.ok(empty.freePages >= 16);
  s.remoteSends([page(1, 1200), page(2, 600)], { ecm: true, coding: 'MMR', sub: '12', ident: '+49 89 5550123' });
  const phases = new Set<string>();
  const framesByPage: number[][] = [[], [], []];
  let lineStates = new Set<string>();
  for (let i = 0; i < 2400 && s.app.callsEnded === 0; i++) {
    s.runFor(100);
    const v = snapshot(s);
    lineStates.add(v.line);
    const c = v.call;
    if (!c) continue;
    phases.add(c.phase);
    assert.is(c.remote, '', 'no sender shown for a call with a SUB, not even before its SUB frame came');
    if (c.sub) assert.is(c.sub, '12');
    assert.ok(c.page >= 1 && c.page <= 2, 'page ' + c.page);
    if (c.phase === 'R_PAGE' && c.ecmFrames !== null) {
      assert.equal([c.rate, c.coding, c.ecm, c.fine], [14400, 'MMR', true, true]);
      assert.is(c.ecmBlock, 0);
      framesByPage[c.page].push(c.ecmFrames);
    }
  }
  assert.is(s.app.callsEnded, 1);
  assert.ok(phases.has('R_PAGE') && phases.has('R_TCF'), [...phases].join(' '));
  assert.ok(lineStates.has('RECV'));
  for (const p of [1, 2]) {
    const f = framesByPage[p];
    let rises = 0;
    for (let i = 1; i < f.length; i++) if (f[i] > f[i - 1]) rises++;
    assert.ok(rises > 5 && Math.max(...f) > 20, `page ${p}: frames rise while it comes in (${f.join(',')})`);
  }
  s.runFor(20000);
  const after = snapshot(s);
  assert.is(after.call, null);
  assert.equal(after.boxes, [{ number: '12', waiting: 1, kept: 1, lockedSeconds: 0 }]);
  assert.is(after.journal[0], 'call (confidential, box 12): ok');
  assert.not.ok(JSON.stringify(after).includes('5550123'));
  s.sim.flash.close();
});

test.run();
