// A pushed document whose acknowledgement never reached the appliance is pushed again after the
// back-off; the owner's program recognises it (host/client/received.ts saveOnce, as `client
// listen` uses it) and writes it once, then acknowledges the copy. Virtual time, simulated LAN.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientSession } from '../../../host/client/session.ts';
import type { TcpSocket } from '../../../hal/net.ts';
import { ReceivedIndex, saveOnce } from '../../../host/client/received.ts';
import { RETRY_FIRST_MS } from '../../../firmware/delivery/outbox.ts';
import { ANN, boot, clientKeys, page, pagesOf, receive, samePixels } from './rig.ts';

test('each: the first push is written but not acknowledged (lost); the push again after the back-off is recognised, not written twice, and acknowledged', () => {
  const s = boot({ box12: { delivery: { mode: 'each', after: 'keep' } } });
  const dir = mkdtempSync(join(tmpdir(), 'fv-push-again-'));
  const index = new ReceivedIndex(dir);
  const seen: { again: boolean; files: string[] }[] = [];
  let sessions = 0;
  s.sim.lan!.host('pc-ann.lan').listen(7761, (sock: TcpSocket) => {
    const cs = new ClientSession(sock, clientKeys(s, ANN, ANN + sessions++), {
      appliance: null,
      onDocument: (d) => {
        const r = saveOnce(d, dir, index);
        seen.push(r);
        assert.is(samePixels(SENT[0], pagesOf(d)[0]), null);
        // The first time the acknowledgement is lost on the way: the appliance hears none.
        return seen.length === 1 ? 'acknowledgement lost (simulated)' : '';
      },
    });
    cs.start();
  });
  const SENT = [page(4, 220)];
  receive(s, SENT);
  for (let i = 0; i < 300 && seen.length === 0; i++) s.runFor(100);
  s.runFor(1000);
  assert.is(seen.length, 1);
  assert.is(seen[0].again, false);
  const doc = s.app.delivery.agent.outbox.items[0]?.doc;
  assert.ok(doc !== undefined, 'not acknowledged: still in the outbox');
  assert.not.ok(s.app.store.document(doc)!.state.delivered);
  s.runFor(RETRY_FIRST_MS + 60000);
  assert.is(seen.length, 2, 'pushed again');
  assert.is(seen[1].again, true, 'recognised');
  assert.equal(readdirSync(dir).filter((f) => !f.startsWith('.')).sort(), seen[0].files.map((f) => f.substring(dir.length + 1)).sort(), 'one TIFF and one PDF');
  assert.type(s.app.store.document(doc)!.state.delivered, 'number', 'delivered once acknowledged');
  assert.is(s.app.delivery.agent.outbox.size(), 0);
});

test.run();
