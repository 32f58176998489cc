// The owner's record of documents already written (host/client/received.ts): kept across runs,
// keyed by appliance, box, document and reception time, acknowledged mails remembered, a moved
// file forgotten, a damaged record only forgetting.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RECEIVED_FILE, ReceivedIndex } from '../../../host/client/received.ts';

const summary = { box: '12', doc: 7, from: '+49 89 5550123', time: 1764936000000, pages: 1, bytes: 900, protection: 'all' };

test('a document written is known in the next run, with the mails acknowledged; a new reception with the same number is not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fv-received-'));
  const key = ReceivedIndex.key('mail:fax@example.test', summary);
  const file = join(dir, 'doc7.tif');
  writeFileSync(file, 'x');
  const a = new ReceivedIndex(dir);
  assert.is(a.file(key), null);
  a.add(key, file);
  a.markAcked(key, 'uid-1');
  assert.is(statSync(join(dir, RECEIVED_FILE)).mode & 0o777, 0o600);
  const b = new ReceivedIndex(dir);
  assert.is(b.file(key), file);
  assert.ok(b.acked(key, 'uid-1'));
  assert.not.ok(b.acked(key, 'uid-2'));
  assert.is(b.file(ReceivedIndex.key('mail:fax@example.test', { ...summary, time: summary.time + 1 })), null, 'another reception');
  assert.is(b.file(ReceivedIndex.key('mail:other@example.test', summary)), null, 'another appliance');
  // The owner moved the file away: no longer "here".
  rmSync(file);
  assert.is(new ReceivedIndex(dir).file(key), null);
});

test('a damaged record loads empty (a document sent again may then be written again), and is rewritten whole', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fv-received-'));
  writeFileSync(join(dir, RECEIVED_FILE), '[{"key":');
  const i = new ReceivedIndex(dir);
  assert.is(i.has('x'), null);
  i.add('x', join(dir, 'x.tif'));
  assert.equal(JSON.parse(readFileSync(join(dir, RECEIVED_FILE), 'utf8')), [{ key: 'x', file: join(dir, 'x.tif'), acked: [] }]);
});

test.run();
