// Ordinary receptions to e-mail as T.37 fax mail (RFC 3965 simple mode), in virtual time on the
// whole simulated appliance: the emulated line's remote machine sends, the appliance's SMTP
// client delivers to a small SMTP server on the simulated LAN, and mailparser (an independent
// MIME reader) finds the text part and an `image/tiff; application=faxbw` attachment that libtiff
// decodes to the sent pixels. Then the error paths: a 4xx is retried later, a 5xx journaled,
// a power cut before the mail went leaves it pending; and the settings' rules.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { bootAppliance } from '../../rig/appliance.ts';
import type { Session } from '../../rig/appliance.ts';
import { validateSettings } from '../../../firmware/app/settings.ts';
import { SmtpPeer } from '../../../sim/mail/smtp-peer.ts';
import type { SmtpPeerOptions } from '../../../sim/mail/smtp-peer.ts';
import { journalEntries } from '../../../firmware/store/index.ts';
import { readTiff } from '../../../host/image/tiff.ts';
import { page, runCall, dataDir } from '../../sim/appliance/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'fv-faxmail-'));

function settings(ordinary: object) {
  return {
    station: { ident: '+49 30 1234567', name: 'Office 3' },
    fax: { ringsBeforeAnswer: 1 },
    mail: { address: 'fax@office.test', smtp: 'smtp://fax:s3cret@mail.office.test:2525' },
    ordinary,
  };
}

function boot(ordinary: object, peer: SmtpPeerOptions = {}, dataDirPath: string | null = null): { s: Session; smtp: SmtpPeer } {
  const s = bootAppliance(settings(ordinary), { seed: 'faxmail', dataDir: dataDirPath });
  const smtp = new SmtpPeer(s.sim.lan!.host('mail.office.test'), s.sim.virtual!, 2525, { user: 'fax', pass: 's3cret', ...peer });
  return { s, smtp };
}

async function tiffOf(data: Uint8Array) {
  const m = await simpleParser(Buffer.from(data));
  const att = m.attachments.find((a) => a.contentType === 'image/tiff');
  assert.ok(att, 'a TIFF attachment');
  const f = join(dir, 'a' + Math.random().toString(36).slice(2) + '.tif');
  writeFileSync(f, att!.content);
  const plain = f + '.plain.tif';
  execFileSync('tiffcp', ['-c', 'none', f, plain]); // libtiff decodes the fax coding
  return { m, att: att!, pages: readTiff(readFileSync(plain)) };
}

test('an ordinary fax is mailed as T.37: subject, text, image/tiff; application=faxbw that libtiff decodes to the sent pixels; not printed when print is off', async () => {
  const { s, smtp } = boot({ print: false, mailTo: ['office@example.test'], mailInClear: true });
  const sent = [page(31, 300), page(32, 200)];
  s.remoteSends(sent, { ident: '+49 89 5550123' });
  runCall(s);
  s.runFor(60000);
  assert.is(smtp.received.length, 1);
  const r = smtp.received[0];
  assert.equal(r.to, ['office@example.test']);
  const { m, att, pages } = await tiffOf(r.data);
  assert.is(m.subject, 'Fax from +49 89 5550123 (2 pages)');
  assert.match(m.text || '', /Fax received by Office 3 on \d{4}-\d\d-\d\d \d\d:\d\d from \+49 89 5550123: 2 pages/);
  assert.match(Buffer.from(r.data).toString(), /Content-Type: image\/tiff; application=faxbw/);
  assert.match(att.filename || '', /^fax-\d{4}-\d\d-\d\d_\d{4}-doc\d+\.tif$/);
  assert.is(pages.length, 2);
  pages.forEach((p, i) => assert.ok(Buffer.compare(Buffer.from(p.data), Buffer.from(sent[i].data)) === 0, 'page ' + (i + 1)));
  assert.is(s.sim.printer.pages.length, 0, 'not printed');
  assert.is(s.app.store.documents().length, 0, 'deleted once mailed');
  assert.ok(journalEntries(s.app.store).some((e) => e.kind === 'faxmail' && e.result === 'sent'));
});

test('print and mail: both happen, the document goes once both are done', () => {
  const { s, smtp } = boot({ print: true, mailTo: ['office@example.test'], mailInClear: true });
  s.remoteSends([page(33, 150)]);
  runCall(s);
  s.runFor(120000);
  assert.is(smtp.received.length, 1);
  assert.is(s.sim.printer.pages.length, 1);
  assert.is(s.app.store.documents().length, 0);
});

test('a 4xx is retried later (journaled); a 5xx is journaled as failed and the fax is still printed', () => {
  const t = boot({ print: false, mailTo: ['office@example.test'], mailInClear: true }, { fail: { stage: 'rcpt', code: 451, text: 'try later', times: 1 } });
  t.s.remoteSends([page(34, 100)]);
  runCall(t.s);
  t.s.runFor(5000);
  assert.is(t.smtp.received.length, 0);
  assert.ok(journalEntries(t.s.app.store).some((e) => e.kind === 'faxmail' && /retry in 30 s/.test(String(e.result))));
  t.s.runFor(60000);
  assert.is(t.smtp.received.length, 1, 'sent on the retry');

  const u = boot({ print: true, mailTo: ['office@example.test'], mailInClear: true }, { fail: { stage: 'rcpt', code: 550, text: 'no such user' } });
  u.s.remoteSends([page(35, 100)]);
  runCall(u.s);
  u.s.runFor(600000);
  assert.is(u.smtp.received.length, 0);
  const f = journalEntries(u.s.app.store).filter((e) => e.kind === 'faxmail');
  assert.ok(f.some((e) => e.result === 'failed' && /550/.test(String(e.why))), JSON.stringify(f));
  assert.is(f.filter((e) => e.result === 'failed').length, 1, 'not retried');
  assert.is(u.s.sim.printer.pages.length, 1, 'printed all the same');
});

test('a power cut before the mail went: after the restart it is sent (pending in flash)', () => {
  const d = dataDir();
  const a = boot({ print: false, mailTo: ['office@example.test'], mailInClear: true }, { hang: 'greeting' }, d);
  a.s.remoteSends([page(36, 120)]);
  runCall(a.s);
  a.s.runFor(2000);
  assert.is(a.smtp.received.length, 0);
  a.s.sim.flash.close();
  const b = boot({ print: false, mailTo: ['office@example.test'], mailInClear: true }, {}, d);
  b.s.runFor(30000);
  assert.is(b.smtp.received.length, 1);
  assert.is(b.s.app.store.documents().length, 0);
});

test('settings: mailing needs the administrator\'s mailInClear, real addresses and a mail server; never neither print nor mail', () => {
  const bad = (o: object, mail = true) => validateSettings({ ...(mail ? { mail: { address: 'fax@office.test', smtp: 'smtp://h:25' } } : {}), ordinary: o }).errors.join('\n');
  assert.match(bad({ mailTo: ['a@b.test'] }), /mailInClear/);
  assert.match(bad({ mailTo: ['not an address'], mailInClear: true }), /ordinary\.mailTo\[0\]: must be an e-mail address/);
  assert.match(bad({ mailTo: ['a@b.test'], mailInClear: true }, false), /needs mail\.address/);
  assert.match(bad({ print: false }), /neither printed nor mailed/);
  assert.is(bad({ mailTo: ['a@b.test'], mailInClear: true }), '');
});

test.run();
