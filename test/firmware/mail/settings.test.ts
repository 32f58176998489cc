// The `mail` settings section and its server URLs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateSettings, defaultSettings } from '../../../firmware/app/settings.ts';
import { parseServerUrl, describeServer } from '../../../firmware/mail/url.ts';
import type { MailSettings } from '../../../firmware/mail/settings.ts';

test('defaults: no mail until an address and a server are set', () => {
  const m = defaultSettings().mail as MailSettings;
  assert.equal(m, { address: '', smtp: '', pop3: '', checkSeconds: 300 });
});

test('server URLs: schemes, default ports, percent-encoded user and password, IPv6, starttls option', () => {
  const a = parseServerUrl('smtps://fax%40example.com:p%C3%A4ss%3Aw@mail.example.com', ['smtp', 'smtps']).url!;
  assert.equal([a.scheme, a.host, a.port, a.user, a.pass, a.tls, a.starttls], ['smtps', 'mail.example.com', 465, 'fax@example.com', 'päss:w', true, 'no']);
  const b = parseServerUrl('pop3://u:p@[::1]:1110/?starttls=yes', ['pop3', 'pop3s']).url!;
  assert.equal([b.host, b.port, b.tls, b.starttls], ['::1', 1110, false, 'yes']);
  assert.is(parseServerUrl('smtp://h', ['smtp']).url!.port, 25);
  assert.is(parseServerUrl('pop3s://h', ['pop3s']).url!.port, 995);
  assert.is(describeServer(a), 'smtps://fax@example.com@mail.example.com:465');
  assert.match(parseServerUrl('http://h', ['smtp', 'smtps']).error, /must begin with smtp:\/\/ or smtps:\/\//);
  assert.match(parseServerUrl('smtp://h:99999', ['smtp']).error, /port must be a number/);
  assert.match(parseServerUrl('smtp://u:%zz@h', ['smtp']).error, /percent-encoding/);
  assert.match(parseServerUrl('smtp://h?tls=1', ['smtp']).error, /unknown option/);
});

test('bad mail settings are reported by field, the password never echoed', () => {
  const r = validateSettings({ mail: { address: 'not an address', smtp: 'pop3://u:SECRETPW@h', pop3: 'smtp://h', checkSeconds: 1 } });
  assert.is(r.settings, null);
  const text = r.errors.join('\n');
  assert.match(text, /^mail\.address: must be an e-mail address/m);
  assert.match(text, /^mail\.smtp: must begin with smtp:\/\/ or smtps:\/\//m);
  assert.match(text, /^mail\.pop3: must begin with pop3:\/\/ or pop3s:\/\//m);
  assert.match(text, /^mail\.checkSeconds: must be an integer from 10 to 86400/m);
  assert.not.match(text, /SECRETPW/);
  assert.match(validateSettings({ mail: { address: 'fax@example.com' } }).errors.join(), /mail\.smtp: missing/);
  const ok = validateSettings({ mail: { address: 'fax@example.com', smtp: 'smtp://fax:pw@mx.example.com:587', pop3: 'pop3s://fax:pw@mx.example.com' } });
  assert.equal(ok.errors, []);
});

test.run();
