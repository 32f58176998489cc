// Send jobs by e-mail in virtual time (docs/FAX-SERVER.md §5): a sender's client mails a sealed
// job (the job and its pages, two sealed attachments) to the appliance's mailbox on the simulated
// LAN's mail system; the appliance reads it by POP3, queues it, dials the emulated line's remote
// machine, which receives the pages pixel for pixel; the sender gets the sealed "job accepted"
// and then the sealed result by mail. A foreign identity and an unsealed mail get a plain refusal
// (once), automatic mail gets none, and nothing is dialled for any of them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Session } from '../../../sim/session.ts';
import { bootAppliance } from '../../rig/appliance.ts';
import { polyMaster, polyShare } from '../../../host/crypto/poly-center.ts';
import type { OwnerMail, MailboxResult } from '../../../host/client/mail.ts';
import { mailSystem, ownerMail } from '../../rig/mail.ts';
import { journalEntries } from '../../../firmware/store/index.ts';
import { jobPages } from '../../../host/client/jobs.ts';
import { MSG_JOB_ACCEPTED, MSG_JOB_RESULT, parseJobStatus } from '../../../firmware/lan/job-messages.ts';
import { parseBody } from '../../../firmware/lan/messages-parse.ts';
import { resetPlainRefusals } from '../../../firmware/mail/job-mail.ts';
import { readRawFax } from '../../../host/image/raw.ts';
import { page, T0 } from '../appliance/helpers.ts';
import { samePixels } from '../lan/rig.ts';

const master = polyMaster(new Uint8Array(32).fill(6), 1, 7);
const APPLIANCE = 'mail:fax@appliance.test';
const ANN = 'mail:ann@example.test';
const EVE = 'mail:eve@example.test';
const ports: { [addr: string]: number } = { 'fax@appliance.test': 1100, 'ann@example.test': 1101, 'eve@example.test': 1103 };

function world() {
  resetPlainRefusals();
  const s = bootAppliance({
    station: { ident: '+49 30 1234567', name: 'Office 3' },
    fax: { ringsBeforeAnswer: 1 },
    mail: { address: 'fax@appliance.test', smtp: 'smtp://fax:pw@mail.lan:25', pop3: 'pop3://fax%40appliance.test:pw@mail.lan:1100', checkSeconds: 60 },
    boxes: [{ number: '12', owner: ANN, code: '471100' }],
  }, { seed: 'mailjobs', applianceKey: { identity: APPLIANCE, epoch: 1, share: polyShare(master, APPLIANCE) } });
  const mail = mailSystem(s, ports);
  const client = (id: string) => ownerMail(s, mail, { master, appliance: APPLIANCE, id, prio: 100 });
  return { s, smtp: mail.smtp, boxes: mail.boxes, client };
}

function run(s: Session, op: (done: () => void) => void): void {
  let done = false;
  op(() => (done = true));
  for (let i = 0; i < 600 && !done; i++) s.runFor(100);
  assert.ok(done, 'the operation did not end');
}

function check(s: Session, c: OwnerMail): MailboxResult {
  let out: MailboxResult | null = null;
  run(s, (done) => c.check((r) => { out = r; done(); }));
  return out!;
}

test('a sealed job by mail: queued, dialled, the remote gets the pages pixel for pixel; accepted and result come back sealed', () => {
  const w = world();
  const far = w.s.sim.line!.attachRemote('5551234', { role: 'receive' });
  const sent = [page(41, 220), page(42, 160)];
  const p = jobPages(sent, T0);
  const ann = w.client(ANN);
  run(w.s, (done) => ann.job({ to: '5551234', pages: p.pages, bytes: p.bytes }, p.stream, (r) => { assert.ok(r.ok, r.text); done(); }));
  // The appliance reads its mailbox every 60 s; the job then goes out.
  for (let i = 0; i < 600 && (far.result.status === 'in-progress' || w.s.app.queue.jobs().length); i++) w.s.runFor(1000);
  assert.is(far.result.status, 'ok');
  assert.is(far.pages.length, 2);
  far.pages.forEach((d, i) => assert.is(samePixels(sent[i], readRawFax(d, { coding: far.result.coding.toLowerCase() as 'mh' })[0]), null, 'page ' + (i + 1)));
  w.s.runFor(30000);
  const box = check(w.s, ann);
  const accepted = box.jobReplies.find((j) => j.type === MSG_JOB_ACCEPTED);
  assert.ok(accepted, 'job accepted, sealed');
  assert.is(parseBody(accepted!.plain).pages, 2);
  const result = box.jobReplies.find((j) => j.type === MSG_JOB_RESULT);
  assert.ok(result, 'the result, sealed');
  const st = parseJobStatus(parseBody(result!.plain));
  assert.is(st.state, 'sent');
  assert.is(st.pages, 2);
  // Every mail the appliance sent: nothing about the job in clear.
  for (const m of w.smtp.received) assert.is(Buffer.from(m.data).indexOf('5551234'), -1, 'the number in clear in a mail');
  assert.ok(journalEntries(w.s.app.store).some((e) => e.kind === 'mail' && e.result === 'job queued'));
});

test('a stranger\'s sealed job and an unsealed mail: a plain refusal each (once), no call; automatic mail gets no answer', () => {
  const w = world();
  w.s.sim.line!.attachRemote('5559999', { role: 'receive' });
  const p = jobPages([page(43, 100)], T0);
  const eve = w.client(EVE);
  run(w.s, (done) => eve.job({ to: '5559999', pages: p.pages, bytes: p.bytes }, p.stream, () => done()));
  run(w.s, (done) => eve.job({ to: '5559999', pages: p.pages, bytes: p.bytes }, p.stream, () => done()));
  // An unsealed mail with a "document" and an automatic one, dropped straight into the mailbox.
  const plain = (from: string, extra: string) => Buffer.from(`From: ${from}\r\nTo: fax@appliance.test\r\nSubject: please fax this to 5559999\r\n${extra}Content-Type: text/plain\r\n\r\nhello\r\n`);
  w.boxes['fax@appliance.test'].deliver(plain('joe@example.test', ''));
  w.boxes['fax@appliance.test'].deliver(plain('robot@example.test', 'Auto-Submitted: auto-generated\r\n'));
  w.s.runFor(180000);
  assert.is(w.s.app.queue.jobs().length, 0);
  assert.is(w.s.sim.line!.trace().filter((l) => /dials/.test(l)).length, 0, 'nothing dialled');
  const answers = w.smtp.received.filter((m) => /Your fax was not sent/.test(Buffer.from(m.data).toString()));
  assert.equal(answers.map((m) => m.to[0]).sort(), ['eve@example.test', 'joe@example.test'], 'one answer each, none to the robot');
  for (const a of answers) {
    const text = Buffer.from(a.data).toString();
    assert.match(text, /Auto-Submitted: auto-replied/);
    assert.is(a.from, '', 'null return path (RFC 3834 §3.3)');
  }
  assert.ok(journalEntries(w.s.app.store).some((e) => e.kind === 'mail' && /job refused: not-allowed/.test(String(e.result))));
});

test.run();
