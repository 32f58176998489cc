// Known-answer checks of the mail stack that run on the device (`faxvault.selftest('mail')`):
// base64 (RFC 4648 §10 vectors), an RFC 2047 subject both ways, and a multipart message written
// by the streaming writer and read back by the bounded reader, byte for byte.
import type { SelfCheck } from '../selftest/selftest.ts';
import { asciiBytes, base64Encode } from './text.ts';
import { Base64Decoder, latin1 } from './text-decode.ts';
import { headerLine } from './header.ts';
import { decodeWords } from './header-read.ts';
import { MimeWriter } from './mime-writer.ts';
import { MimeReader } from './mime-reader.ts';
import { bytesSource } from './source.ts';

function b64(): string | null {
  const vectors = ['', 'Zg==', 'Zm8=', 'Zm9v', 'Zm9vYg==', 'Zm9vYmE=', 'Zm9vYmFy'];
  const plain = 'foobar';
  for (let i = 0; i < vectors.length; i++) {
    const p = asciiBytes(plain.substring(0, i));
    if (base64Encode(p) !== vectors[i]) return 'encode ' + JSON.stringify(plain.substring(0, i));
    const d = new Base64Decoder();
    const v = asciiBytes(vectors[i]);
    const back = d.feed(v, 0, v.length);
    d.finish();
    if (d.error || latin1(back) !== plain.substring(0, i)) return 'decode ' + vectors[i];
  }
  return null;
}

function words(): string | null {
  const s = 'Fax f\u00fcr \u00c4nne \u2013 Box 12';
  const line = headerLine('Subject', s);
  const v = line.substring(9).split('\r\n').join('');
  return decodeWords(v) === s ? null : 'got ' + JSON.stringify(decodeWords(v));
}

function roundTrip(): string | null {
  const data = new Uint8Array(3000);
  let x = 12345;
  for (let i = 0; i < data.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    data[i] = x >> 16;
  }
  const w = new MimeWriter({
    from: 'fax@example.com', to: ['ann@example.com'], subject: 'faxvault message', date: 0, messageId: '<1@example.com>',
    boundary: 'fv-selftest', parts: [{ type: 'text/plain', text: 'hello\n.dot' }, { type: 'application/octet-stream', filename: 'x.bin', body: bytesSource(data) }],
  });
  let n = 0;
  let ok = true;
  let parts = 0;
  let longest = 0;
  const r = new MimeReader({
    header: function () {},
    partStart: function () {
      parts++;
    },
    partData: function (b: Uint8Array) {
      if (parts !== 2) return;
      for (let i = 0; i < b.length; i++) if (data[n + i] !== b[i]) ok = false;
      n += b.length;
    },
    partEnd: function () {},
  });
  let lineLen = 0;
  for (let b = w.read(100); b !== null; b = w.read(100)) {
    for (let i = 0; i < b.length; i++) {
      if (b[i] === 10) lineLen = 0;
      else if (++lineLen > longest) longest = lineLen;
    }
    r.feed(b);
  }
  r.end();
  if (r.error) return r.error;
  if (!r.complete || parts !== 2 || n !== data.length || !ok) return 'read back ' + n + ' of ' + data.length + ' bytes in ' + parts + ' parts';
  return longest <= 78 ? null : 'a line of ' + longest + ' characters';
}

export function mailChecks(): SelfCheck[] {
  return [
    { name: 'mail: base64 RFC 4648 vectors', run: b64 },
    { name: 'mail: RFC 2047 subject both ways', run: words },
    { name: 'mail: MIME writer -> reader round trip', run: roundTrip },
  ];
}
