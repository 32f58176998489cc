// The streaming MIME writer and reader, refereed by libraries nobody here wrote: mailparser reads
// what our writer produces, our reader reads what nodemailer's composer produces, and both agree
// byte for byte on the parts. Then the reader's limits against hostile input.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { MimeWriter } from '../../../firmware/mail/mime-writer.ts';
import type { MimeMessage } from '../../../firmware/mail/mime-writer.ts';
import { MimeReader } from '../../../firmware/mail/mime-reader.ts';
import type { MimeLimits, MimePartInfo } from '../../../firmware/mail/mime-reader.ts';
import { bytesSource } from '../../../firmware/mail/source.ts';
import type { ByteSource } from '../../../firmware/mail/source.ts';
import { headerLine } from '../../../firmware/mail/header.ts';
import { decodeWords } from '../../../firmware/mail/header-read.ts';

function drain(src: ByteSource, max = 700): Buffer {
  const out: Buffer[] = [];
  for (;;) {
    const b = src.read(max);
    if (b === null) break;
    out.push(Buffer.from(b)); // copies: the writer reuses its line buffer
  }
  return Buffer.concat(out);
}

/** A source that gives `n` bytes per read, whatever is asked — fewer or more (like flash in pieces). */
function trickle(b: Uint8Array, n: number): ByteSource {
  let o = 0;
  return {
    read(max: number) {
      if (o >= b.length) return null;
      const k = Math.min(n, b.length - o);
      o += k;
      return b.subarray(o - k, o);
    },
  };
}

interface Parsed {
  headers: { [k: string]: string };
  parts: { info: MimePartInfo; data: Buffer }[];
  error: string | null;
  complete: boolean;
  largestPiece: number;
}

function readWith(feed: (r: MimeReader) => void, limits?: Partial<MimeLimits>): Parsed {
  const res: Parsed = { headers: {}, parts: [], error: null, complete: false, largestPiece: 0 };
  let chunks: Buffer[] = [];
  let info: MimePartInfo | null = null;
  const r = new MimeReader(
    {
      header(name, value) {
        res.headers[name] = value;
      },
      partStart(p) {
        info = p;
        chunks = [];
      },
      partData(b) {
        res.largestPiece = Math.max(res.largestPiece, b.length);
        chunks.push(Buffer.from(b));
      },
      partEnd() {
        res.parts.push({ info: info as MimePartInfo, data: Buffer.concat(chunks) });
      },
    },
    limits,
  );
  feed(r);
  r.end();
  res.error = r.error;
  res.complete = r.complete;
  return res;
}

function readBytes(b: Uint8Array, chunk = 1000, limits?: Partial<MimeLimits>): Parsed {
  return readWith((r) => {
    for (let i = 0; i < b.length; i += chunk) r.feed(b.subarray(i, i + chunk));
  }, limits);
}

function message(parts: MimeMessage['parts'], subject = 'Fax waiting'): MimeMessage {
  return {
    from: 'Faxvault <fax@appliance.test>',
    to: ['ann@example.test'],
    subject,
    date: Date.UTC(2026, 11, 5, 4, 58, 41),
    messageId: '<m1.' + randomBytes(4).toString('hex') + '@appliance.test>',
    boundary: 'fv-' + randomBytes(12).toString('hex'),
    headers: [['X-Faxvault-Kind', 'notice']],
    parts,
  };
}

test('mailparser reads our writer: subject with umlauts, a text part, binary attachments byte for byte', async () => {
  const sealed = randomBytes(100_003);
  const tiff = randomBytes(57 * 3); // exactly three base64 lines
  const m = message(
    [
      { type: 'text/plain', text: 'A confidential fax is waiting.\nReply with your pass code.\n.leading dot line' },
      { type: 'application/x-faxvault-sealed', filename: 'notice.fxv', body: trickle(sealed, 13) },
      { type: 'application/octet-stream', filename: 'big-pieces.bin', body: trickle(sealed, 1000) },
      { type: 'image/tiff', params: { application: 'faxbw' }, filename: 'fax.tif', body: bytesSource(tiff) },
    ],
    'Fax für Änne – wartet 📠',
  );
  const raw = drain(new MimeWriter(m));
  const p = await simpleParser(raw);
  assert.is(p.subject, 'Fax für Änne – wartet 📠');
  assert.is(p.from?.value[0].address, 'fax@appliance.test');
  assert.is(p.headers.get('x-faxvault-kind'), 'notice');
  assert.is(p.text?.trim(), 'A confidential fax is waiting.\nReply with your pass code.\n.leading dot line');
  assert.is(p.attachments.length, 3);
  assert.is(p.attachments[0].contentType, 'application/x-faxvault-sealed');
  assert.is(p.attachments[0].filename, 'notice.fxv');
  assert.ok(p.attachments[0].content.equals(sealed));
  assert.ok(p.attachments[1].content.equals(sealed), 'a source giving more than asked');
  assert.is(p.attachments[2].contentType, 'image/tiff');
  assert.ok(p.attachments[2].content.equals(tiff));
  // RFC 5322 §2.1.1 / RFC 2045 §6.8: every line ≤ 78 columns, base64 lines exactly 76 but the last.
  const lines = raw.toString('latin1').split('\r\n');
  for (const l of lines) assert.ok(l.length <= 78, 'line too long: ' + l.slice(0, 40));
  assert.not.match(raw.toString('latin1'), /[^\r]\n/); // only CRLF line ends
  const enc = lines.filter((l) => /^[A-Za-z0-9+/]{76}$/.test(l));
  assert.ok(enc.length >= Math.floor(100_003 / 57));
  // The ASCII subject of a plain message is not encoded (encoded-words only where needed).
  assert.is(headerLine('Subject', 'Fax waiting'), 'Subject: Fax waiting\r\n');
  assert.match(raw.toString('latin1'), /^Subject: =\?UTF-8\?B\?/m);
});

test('our reader reads nodemailer: quoted-printable text, encoded-word subject, attachments', async () => {
  const bin = randomBytes(70_001);
  const raw: Buffer = await new MailComposer({
    from: 'Änne <ann@example.test>',
    to: 'fax@appliance.test',
    subject: 'Re: Fax für Änne ✓ — a long subject line that nodemailer will fold over several lines of header',
    text: 'Pass code follows.\r\nÜmlaut line that is long enough to get a soft line break in quoted printable encoding for sure, yes.\r\n',
    attachments: [
      { filename: 'request.fxv', content: bin, contentType: 'application/x-faxvault-sealed' },
      { filename: 'Größe.txt', content: 'small', contentType: 'text/plain' },
    ],
  }).compile().build();
  const p = readBytes(raw, 333);
  assert.is(p.error, null);
  assert.ok(p.complete);
  assert.is(p.headers.subject, 'Re: Fax für Änne ✓ — a long subject line that nodemailer will fold over several lines of header');
  assert.match(p.headers.from, /Änne <ann@example.test>/);
  assert.is(p.parts.length, 3);
  assert.is(p.parts[0].info.type, 'text/plain');
  assert.is(p.parts[0].info.encoding, 'quoted-printable');
  assert.is(p.parts[0].data.toString('utf8'), 'Pass code follows.\r\nÜmlaut line that is long enough to get a soft line break in quoted printable encoding for sure, yes.\r\n');
  assert.is(p.parts[1].info.type, 'application/x-faxvault-sealed');
  assert.is(p.parts[1].info.filename, 'request.fxv');
  assert.ok(p.parts[1].data.equals(bin));
  assert.is(p.parts[2].info.filename, 'Größe.txt');
  assert.is(p.parts[2].data.toString(), 'small');
});

test('round trip through writer and reader agrees with mailparser for random parts and any chunking', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.uint8Array({ maxLength: 3000 }), { minLength: 1, maxLength: 4 }),
      fc.string({ maxLength: 60, unit: 'grapheme' }).map((s) => s.replace(/[\u0000-\u001f\u007f]/g, '')),
      fc.integer({ min: 1, max: 400 }),
      async (bodies, subject, chunk) => {
        const m = message(
          bodies.map((b, i) => ({ type: 'application/octet-stream', filename: 'p' + i + '.bin', body: bytesSource(b) })),
          subject,
        );
        const raw = drain(new MimeWriter(m), chunk);
        const ours = readBytes(raw, chunk);
        assert.is(ours.error, null);
        assert.is(ours.parts.length, bodies.length);
        for (let i = 0; i < bodies.length; i++) assert.ok(ours.parts[i].data.equals(Buffer.from(bodies[i])));
        const theirs = await simpleParser(raw);
        // Only SP and HTAB are folding white space (RFC 5322 §2.2.3): a no-break or ideographic
        // space at either end is part of the subject, and both readers keep it.
        const expected = subject.replace(/^[ \t]+|[ \t]+$/g, '');
        assert.is(ours.headers.subject, expected);
        assert.is(theirs.subject ?? '', expected);
        assert.is(theirs.attachments.length, bodies.length);
        for (let i = 0; i < bodies.length; i++) assert.ok(theirs.attachments[i].content.equals(Buffer.from(bodies[i])));
      },
    ),
    { numRuns: 40 },
  );
});

test('a subject of Unicode white space survives: only SP and HTAB are trimmed', async () => {
  for (const subject of ['\u00a0', '\u3000x\u2003', ' \ufeff ', '\t a \t']) {
    const raw = drain(new MimeWriter(message([{ type: 'text/plain', text: 'x' }], subject)), 1);
    const expected = subject.replace(/^[ \t]+|[ \t]+$/g, '');
    assert.is(readBytes(raw, 1).headers.subject, expected);
    assert.is((await simpleParser(raw)).subject ?? '', expected);
  }
});

test('encoded-words: B and Q forms, adjacent words joined, unknown charsets left as written', () => {
  assert.is(decodeWords('=?utf-8?q?F=C3=BCr_Anne?= =?UTF-8?B?IOKckw==?='), 'Für Anne ✓');
  assert.is(decodeWords('=?iso-8859-1?Q?Gr=FC=DFe?= aus Berlin'), 'Grüße aus Berlin');
  assert.is(decodeWords('=?koi8-r?B?8NLJ18XU?='), '=?koi8-r?B?8NLJ18XU?=');
  assert.is(decodeWords('plain =?broken'), 'plain =?broken');
});

test('a giant attachment streams through in line-sized pieces under its limit, and is refused above it', () => {
  const big = randomBytes(3_000_000);
  const raw = drain(new MimeWriter(message([{ type: 'application/octet-stream', filename: 'big', body: bytesSource(big) }])));
  let total = 0;
  const ok = readWith((r) => {
    for (let i = 0; i < raw.length; i += 4096) r.feed(raw.subarray(i, i + 4096));
  });
  for (const p of ok.parts) total += p.data.length;
  assert.is(ok.error, null);
  assert.is(total, big.length);
  assert.ok(ok.largestPiece <= 57, 'decoded pieces are one base64 line each, got ' + ok.largestPiece);
  const refused = readBytes(raw, 4096, { maxPartBytes: 1_000_000 });
  assert.match(refused.error ?? '', /part 1 is larger than 1000000 bytes/);
});

test('hostile input: endless headers, an endless header line, a giant line, bad base64, truncation, nesting', () => {
  const endless = Buffer.from('From: a@b\r\n' + 'X-Junk: y\r\n'.repeat(100_000) + '\r\nbody\r\n');
  assert.match(readBytes(endless).error ?? '', /more than 64 header fields/);
  const folded = Buffer.from('Subject: x\r\n' + ' more\r\n'.repeat(10_000) + '\r\nbody\r\n');
  assert.match(readBytes(folded).error ?? '', /header field is longer than 4096 bytes/);
  const giantLine = Buffer.from('Subject: x\r\n\r\n' + 'a'.repeat(50_000) + '\r\n');
  assert.match(readBytes(giantLine).error ?? '', /line is longer than 998 bytes/);
  const head = 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=BB\r\n\r\n';
  const badB64 = Buffer.from(head + '--BB\r\nContent-Transfer-Encoding: base64\r\n\r\nAAAA*AAA\r\n--BB--\r\n');
  assert.match(readBytes(badB64).error ?? '', /bad base64: byte 0x2a is not in the alphabet \(part 1\)/);
  const dangling = Buffer.from(head + '--BB\r\nContent-Transfer-Encoding: base64\r\n\r\nAAAAAA\r\n--BB--\r\n');
  assert.match(readBytes(dangling).error ?? '', /ends inside a 4-character group/);
  const truncated = Buffer.from(head + '--BB\r\nContent-Type: text/plain\r\n\r\nhello\r\n');
  const t = readBytes(truncated);
  assert.match(t.error ?? '', /truncated/);
  assert.is(t.complete, false);
  const noBoundary = Buffer.from('Content-Type: multipart/mixed\r\n\r\nx\r\n');
  assert.match(readBytes(noBoundary).error ?? '', /without a usable boundary/);
  let nested = 'Content-Type: multipart/mixed; boundary=L0\r\n\r\n';
  for (let i = 1; i < 6; i++) nested += '--L' + (i - 1) + '\r\nContent-Type: multipart/mixed; boundary=L' + i + '\r\n\r\n';
  assert.match(readBytes(Buffer.from(nested)).error ?? '', /nested deeper than 3/);
  const manyParts = Buffer.from(head + '--BB\r\n\r\nx\r\n'.repeat(40) + '--BB--\r\n');
  assert.match(readBytes(manyParts).error ?? '', /more than 16 parts/);
  const noColon = Buffer.from('Subject x\r\n\r\nbody\r\n');
  assert.match(readBytes(noColon).error ?? '', /without a colon/);
  const unknownEnc = Buffer.from('Content-Transfer-Encoding: x-uuencode\r\n\r\nbody\r\n');
  assert.match(readBytes(unknownEnc).error ?? '', /unknown Content-Transfer-Encoding/);
});

test('what was passed on before an error stays valid: the first part is whole when the second is bad', () => {
  const head = 'Content-Type: multipart/mixed; boundary=BB\r\n\r\npreamble\r\n';
  const raw = Buffer.from(head + '--BB\r\nContent-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n--BB  \r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!\r\n--BB--\r\nepilogue\r\n');
  const p = readBytes(raw, 7);
  assert.is(p.parts.length, 1);
  assert.is(p.parts[0].data.toString(), 'hello');
  assert.match(p.error ?? '', /part 2/);
});

test.run();
