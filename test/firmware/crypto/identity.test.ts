import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalIdentity, compareIdentities, isCanonicalIdentity } from '../../../firmware/crypto/identity.ts';

test('canonical forms', () => {
  assert.is(canonicalIdentity('mail:Alice.Smith@Example.COM'), 'mail:alice.smith@example.com');
  assert.is(canonicalIdentity('MAIL:bob+fax@mail.example.org.'), 'mail:bob+fax@mail.example.org');
  assert.is(canonicalIdentity('host:FAX-1.Office.Example'), 'host:fax-1.office.example');
  assert.is(canonicalIdentity('mac:00:1A:2b:3C:4d:5E'), 'mac:001a2b3c4d5e');
  assert.is(canonicalIdentity('mac:00-1a-2b-3c-4d-5e'), 'mac:001a2b3c4d5e');
  assert.is(canonicalIdentity('mac:001a.2b3c.4d5e'), 'mac:001a2b3c4d5e');
  assert.is(canonicalIdentity('mac:001A2B3C4D5E'), 'mac:001a2b3c4d5e');
  assert.is(canonicalIdentity('ip4:192.168.0.10'), 'ip4:192.168.0.10');
  assert.ok(isCanonicalIdentity('mail:a@b.c'));
  assert.not.ok(isCanonicalIdentity('mail:A@b.c'));
});

test('malformed identities are refused with a reason', () => {
  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['alice@example.com', /missing scheme/],
    ['smtp:alice@example.com', /unknown scheme/],
    ['mail:alice', /needs an @/],
    ['mail:@example.com', /empty local part/],
    ['mail:a..b@example.com', /dot/],
    ['mail:.a@example.com', /dot/],
    ['mail:"a b"@example.com', /space|quoted/],
    ['mail:"ab"@example.com', /quoted/],
    ['mail:a@[10.0.0.1]', /address literal/],
    ['mail:a(b)@example.com', /not allowed in the local part/],
    ['mail:' + 'x'.repeat(65) + '@example.com', /64/],
    ['mail:a@exa_mple.com', /not allowed in a domain/],
    ['mail:a@-example.com', /hyphen/],
    ['mail:a@example..com', /empty label/],
    ['mail:a@bücher.de', /xn--/],
    ['host:', /empty domain/],
    ['host:' + 'a'.repeat(64) + '.com', /63/],
    ['host:a b', /space/],
    ['mac:001a2b3c4d', /12 hex/],
    ['mac:00:1a-2b:3c:4d:5e', /12 hex/],
    ['mac:zz1a2b3c4d5e', /12 hex/],
    ['mac:001a2b3c4d5e0', /12 hex/],
    ['mac:001a:2b3c:4d5e', /12 hex/],
    ['ip4:10.0.0', /four/],
    ['ip4:10.0.0.256', /above 255/],
    ['ip4:10.0.0.01', /leading zero/],
    ['ip4:10.0.x.1', /not a number/],
    ['host:' + ('a'.repeat(60) + '.').repeat(5) + 'com', /253/],
  ];
  for (const [s, why] of bad) {
    assert.throws(() => canonicalIdentity(s), why, s);
  }
});

test('non-ASCII is refused before case folding (the Kelvin sign K is not k)', () => {
  // 'K' (U+212A KELVIN SIGN) lower-cases to ASCII 'k': folded first, it would name another identity.
  for (const s of ['mail:\u212Aate@example.com', 'mail:kate@\u212Aexample.com', 'host:\u212A.example', 'mac:\u212A01a2b3c4d5e',
    'MAIL\u0130:kate@example.com', 'mail:kate@example.com\u00a0']) {
    assert.throws(() => canonicalIdentity(s), /non-ASCII/, JSON.stringify(s));
  }
  assert.is(canonicalIdentity('mail:Kate@Example.com'), 'mail:kate@example.com');
});

test('byte-wise order', () => {
  assert.is(compareIdentities('host:a', 'host:b'), -1);
  assert.is(compareIdentities('host:b', 'host:a'), 1);
  assert.is(compareIdentities('host:a', 'host:a'), 0);
  assert.is(compareIdentities('host:a', 'host:ab'), -1);
  assert.is(compareIdentities('host:Z', 'host:a'), -1); // by byte, not by locale
});

test.run();
