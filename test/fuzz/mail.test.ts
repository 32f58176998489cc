// Mail from outside into firmware/mail (POP3 brings messages from anyone): the streaming MIME
// reader on random bytes and on real-shaped messages with bytes changed, cut or grown, fed in
// any pieces; RFC 2047 encoded-words, header parameters, server URLs and base64 on their own.
// The reader never throws: it passes on header fields and part data or stops with its `error`;
// it never passes on more parts or bytes than its limits allow; a valid message in any pieces
// reads the same.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MimeReader, DEFAULT_LIMITS } from '../../firmware/mail/mime-reader.ts';
import type { MimePartInfo } from '../../firmware/mail/mime-reader.ts';
import { decodeWords, parseParams, addressOf } from '../../firmware/mail/header-read.ts';
import { parseServerUrl } from '../../firmware/mail/url.ts';
import { Base64Decoder, utf8Decode } from '../../firmware/mail/text-decode.ts';
import { bytes, check, fc, mutated, pieces } from './budget.ts';

const LIMITS = { maxLine: 200, maxFields: 16, maxFieldBytes: 500, maxParts: 4, maxPartBytes: 2000, maxDepth: 2 };

function ascii(s: string): Uint8Array {
  return Uint8Array.from(Array.from(s, (c) => c.charCodeAt(0) & 0xff));
}

/** A message of the shape fax mail has: multipart/mixed, a text part, a base64 TIFF, a QP part. */
function message(text: string, data: Uint8Array, subject: string): Uint8Array {
  const b64 = Buffer.from(data).toString('base64').replace(/.{1,76}/g, '$&\r\n');
  return ascii(
    'From: Ann <ann@example.com>\r\nSubject: =?utf-8?B?' + Buffer.from(subject).toString('base64') + '?=\r\n' +
      'MIME-Version: 1.0\r\nContent-Type: multipart/mixed;\r\n boundary="b1"\r\n\r\npreamble\r\n' +
      '--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n' + text + '\r\n' +
      '--b1\r\nContent-Type: image/tiff; name="fax.tif"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="fax.tif"\r\n\r\n' + b64 +
      '--b1\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nsoft=\r\nbreak =3D ok\r\n' +
      '--b1--\r\nepilogue\r\n',
  );
}

function read(input: Uint8Array[]): { events: string[]; error: string | null; complete: boolean } {
  const events: string[] = [];
  let parts = 0;
  let partBytes = 0;
  const r = new MimeReader(
    {
      header: (name, value) => {
        assert.type(name, 'string');
        assert.type(value, 'string');
        events.push('h ' + name + ': ' + value);
      },
      partStart: (p: MimePartInfo) => {
        parts++;
        partBytes = 0;
        assert.ok(parts <= LIMITS.maxParts, 'parts within the limit');
        events.push('part ' + p.type + ' ' + p.filename);
      },
      partData: (b) => {
        partBytes += b.length;
        assert.ok(partBytes <= LIMITS.maxPartBytes, 'part bytes within the limit');
        events.push('d ' + Array.from(b).join(','));
      },
      partEnd: () => events.push('end'),
    },
    LIMITS,
  );
  for (const p of input) r.feed(p);
  r.end();
  assert.ok(r.error === null || typeof r.error === 'string');
  return { events, error: r.error, complete: r.complete };
}

/** Part data joined, so that different chunkings compare equal. */
function joined(ev: string[]): string[] {
  const out: string[] = [];
  for (const e of ev) {
    if (e.startsWith('d ') && out.length && out[out.length - 1].startsWith('d ')) out[out.length - 1] += (out[out.length - 1].length > 2 && e.length > 2 ? ',' : '') + e.substring(2);
    else out.push(e);
  }
  return out.map((e) => (e === 'd ' ? '' : e)).filter((e) => e !== '');
}

test('random bytes into the MIME reader: fields and data within the limits, or its error; never a throw', () => {
  check(
    'mime random bytes',
    fc.property(bytes(600), fc.array(fc.nat(), { maxLength: 5 }), (b, cuts) => {
      read(pieces(b, cuts));
    }),
  );
});

test('fax mail changed, cut or grown: within the limits or an error; unchanged, the same in any pieces', () => {
  check(
    'mime mutated messages',
    fc.property(fc.string({ maxLength: 80 }), fc.uint8Array({ maxLength: 300 }), fc.string({ maxLength: 30 }), fc.array(fc.nat(), { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 6 }), (text, data, subject, edits, cuts) => {
      const m = message(text.replace(/[\r\n]/g, ' '), data, subject);
      read(pieces(mutated(m, edits), cuts));
      const whole = read([m]);
      assert.is(whole.error, null, 'the valid message reads');
      assert.equal(joined(read(pieces(m, cuts)).events), joined(whole.events));
    }),
    0.5,
  );
});

test('header words, parameters, addresses, server URLs, base64, UTF-8: a value or a clear error, never a throw', () => {
  const text = fc.oneof(fc.string({ maxLength: 200 }), fc.array(fc.constantFrom('=?', '?=', '?B?', '?Q?', 'utf-8', 'iso-8859-1', ';', '"', '\\', '=', ' ', '<', '>', '@', ':', '//', 'smtp', 'pop3s', '%', 'a'), { maxLength: 30 }).map((a) => a.join('')));
  check(
    'mail header fields',
    fc.property(text, bytes(200), (t, b) => {
      assert.type(decodeWords(t), 'string');
      const p = parseParams(t);
      assert.type(p.value, 'string');
      assert.type(addressOf(t), 'string');
      const u = parseServerUrl(t, ['smtp', 'smtps', 'pop3', 'pop3s']);
      assert.ok((u.url === null) === (u.error !== ''), 'a URL or an error');
      const d = new Base64Decoder();
      const out = d.feed(b, 0, b.length);
      assert.ok(out.length <= (b.length * 3) / 4 + 3);
      assert.type(utf8Decode(b), 'string');
    }),
  );
});

test.run();
