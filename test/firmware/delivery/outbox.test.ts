import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ACK_RESENDS, ACK_WAIT_FIRST_MS, Outbox, OUTBOX_MAX, OUTBOX_SETTING, RETRY_FIRST_MS, RETRY_MAX_MS, ackWait, retryDelay } from '../../../firmware/delivery/outbox.ts';
import { Store } from '../../../firmware/store/index.ts';
import { SimFlash } from '../../../sim/board/flash.ts';

function mapStore() {
  const m: { [k: string]: string } = {};
  let writes = 0;
  return { m, get writes() { return writes; }, getSetting: (k: string) => m[k] ?? null, setSetting: (k: string, v: string) => { m[k] = v; writes++; return true; } };
}

test('items are queued once, done removes them, a document replaces its notice', () => {
  const s = mapStore();
  const o = new Outbox(s);
  o.add(3, 'notice');
  o.add(3, 'notice');
  o.add(4, 'notice');
  assert.is(o.size(), 2);
  o.add(3, 'document');
  assert.equal(o.items.map((i) => i.doc + i.kind), ['4notice', '3document']);
  o.done(4, 'notice');
  assert.equal(o.items.map((i) => i.doc + i.kind), ['3document']);
  assert.ok(s.m[OUTBOX_SETTING].includes('"d":3'));
});

test('a failed attempt waits with a doubling back-off, capped', () => {
  assert.is(retryDelay(1), RETRY_FIRST_MS);
  assert.is(retryDelay(2), 2 * RETRY_FIRST_MS);
  assert.is(retryDelay(40), RETRY_MAX_MS);
  const o = new Outbox(mapStore());
  o.add(1, 'notice');
  o.failed(1, 'notice', 1000, 'connection refused');
  assert.is(o.due(1000 + RETRY_FIRST_MS - 1, () => true), null);
  assert.is(o.due(1000 + RETRY_FIRST_MS, () => true)!.doc, 1);
  assert.is(o.items[0].last, 'connection refused');
  o.failed(1, 'notice', 5000, 'again');
  assert.is(o.nextAt(), 5000 + 2 * RETRY_FIRST_MS);
});

test('the outbox survives a restart in the flash store, tries and next attempt included', () => {
  const flash = new SimFlash({ sectorSize: 4096, sectorCount: 16 });
  const st = new Store(flash);
  st.mount();
  const o = new Outbox(st);
  o.add(5, 'notice');
  o.add(6, 'document');
  o.failed(6, 'document', 10000, 'owner offline');
  const st2 = new Store(flash);
  st2.mount();
  const o2 = new Outbox(st2);
  assert.equal(o2.items.map((i) => [i.doc, i.kind, i.tries, i.at, i.last]), [[5, 'notice', 0, 0, ''], [6, 'document', 1, 10000 + RETRY_FIRST_MS, 'owner offline']]);
});

test('sent and awaiting a later acknowledgement: due again after 1 h, 2 h, 4 h, then held until acknowledged; a failure or a new request un-holds it; it all survives a restart', () => {
  assert.equal([ackWait(1), ackWait(2), ackWait(3)], [ACK_WAIT_FIRST_MS, 2 * ACK_WAIT_FIRST_MS, 4 * ACK_WAIT_FIRST_MS]);
  const s = mapStore();
  const o = new Outbox(s);
  o.add(7, 'document');
  let now = 1000;
  for (let n = 1; n <= ACK_RESENDS; n++) {
    assert.is(o.awaitAck(7, 'document', now), ackWait(n));
    assert.is(o.due(now + ackWait(n) - 1, () => true), null, 'not before the wait');
    now += ackWait(n);
    assert.is(o.due(now, () => true)!.doc, 7);
  }
  assert.is(o.awaitAck(7, 'document', now), -1, 'held after the last re-send');
  assert.is(o.due(now + 1000 * ACK_WAIT_FIRST_MS, () => true), null, 'never due by itself');
  assert.is(o.nextAt(), -1);
  assert.equal([o.items[0].sent, o.items[0].held], [ACK_RESENDS + 1, true]);
  const again = new Outbox(s);
  assert.equal([again.items[0].sent, again.items[0].held, again.items[0].last], [ACK_RESENDS + 1, true, 'awaiting acknowledgement']);
  // A bounce says the last copy never arrived: tried again after the ordinary back-off.
  again.failed(7, 'document', now, 'bounced');
  assert.is(again.due(now + RETRY_FIRST_MS, () => true)!.doc, 7);
  // The acknowledgement (or a delivery by other means) ends it.
  again.drop(7);
  assert.is(again.size(), 0);
  // A document the owner asked for is marked so (sent even if it was delivered before).
  again.add(8, 'document', true);
  assert.ok(new Outbox(s).items[0].asked);
});

test('a full outbox makes room by letting go of a held item (only waiting for an acknowledgement), never of one still to be sent', () => {
  const o = new Outbox(mapStore());
  for (let d = 1; d <= OUTBOX_MAX; d++) o.add(d, 'document');
  assert.not.ok(o.add(1000, 'notice'), 'full, nothing held');
  for (let n = 0; n <= ACK_RESENDS; n++) o.awaitAck(5, 'document', 0);
  assert.ok(o.find(5, 'document')!.held);
  assert.ok(o.add(1000, 'notice'), 'room made');
  assert.is(o.find(5, 'document'), null, 'the held item went');
  assert.is(o.size(), OUTBOX_MAX);
  assert.not.ok(o.add(1001, 'notice'));
});

test('a damaged saved value loads as an empty outbox', () => {
  const s = mapStore();
  s.m[OUTBOX_SETTING] = '[{"d":1,"k":"x"},{"d":2,"k":"n"}';
  assert.is(new Outbox(s).size(), 0);
  s.m[OUTBOX_SETTING] = '[{"d":1,"k":"x"},{"d":2,"k":"n"}]';
  assert.equal(new Outbox(s).items.map((i) => i.doc), [2]);
});

test.run();
