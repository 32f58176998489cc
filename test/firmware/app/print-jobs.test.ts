// The print path is a module held while the spooler has work (firmware/app/print-jobs.ts): a
// report and a document print as before, the module is released when the spooler is idle, and
// the next job loads it again.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bootAppliance } from '../../rig/appliance.ts';
import { moduleHolds } from '../../../firmware/app/modules.ts';

const SETTINGS = { station: { ident: '+49 30 1234567', name: 'Office 3', number: '301234567' } };

test('a report prints through the print module, released when the spooler is idle; the next loads it again', () => {
  const s = boot();
  assert.is(moduleHolds('print'), 0, 'not loaded at boot');
  let done: boolean | null = null;
  s.app.spooler.printReport('Test report', ['line one', 'line two'], (ok) => (done = ok));
  assert.is(moduleHolds('print'), 1, 'held for the job');
  s.runFor(60000);
  assert.is(done, true, 'printed');
  assert.ok(s.sim.printer.pages.length >= 1, 'a page came out');
  assert.is(moduleHolds('print'), 0, 'released when the spooler went idle');
  const before = s.sim.printer.pages.length;
  s.app.spooler.printReport('Again', ['three'], null);
  s.app.spooler.printReport('And again', ['four'], null);
  assert.is(moduleHolds('print'), 1, 'one hold however many jobs');
  s.runFor(60000);
  assert.is(s.sim.printer.pages.length, before + 2);
  assert.is(moduleHolds('print'), 0);
  assert.is(s.app.kernel.faults.length, 0, JSON.stringify(s.app.kernel.faults));
});

function boot() {
  const s = bootAppliance(SETTINGS, { seed: 'print-jobs' });
  s.runFor(5000); // boot notices and prints settle
  return s;
}

test.run();
