// Canonical FAXNIKS identities (docs/FAXNIKS.md §2). A key is bound to the exact bytes of an
// identity, so two spellings of one address must map to one string, and anything ambiguous is
// refused with a message that says what is wrong.
//
//   mail:<addr-spec>   dot-atom local part @ DNS name, lower-cased (the patent's e-mail mode)
//   host:<dns name>    lower-case LDH labels, no trailing dot
//   mac:<12 hex>       lower-case, separators removed
//   ip4:<dotted quad>  decimal, no leading zeros

export const MAX_IDENTITY_BYTES = 255; // one length byte in the envelope header

// RFC 5322 §3.2.3 atext (letters and digits checked separately).
const ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

function isAlnum(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

function fail(input: string, why: string): never {
  throw new Error('identity ' + JSON.stringify(input) + ': ' + why);
}

/** RFC 1035 §2.3.1 preferred name syntax (letters, digits, hyphen), RFC 1123 §2.1 leading digits. */
function checkDnsName(input: string, name: string): string {
  if (name.length > 0 && name.charAt(name.length - 1) === '.') name = name.substring(0, name.length - 1);
  if (name.length === 0) fail(input, 'empty domain name');
  if (name.length > 253) fail(input, 'domain name longer than 253 characters');
  const labels = name.split('.');
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l.length === 0) fail(input, 'empty label in domain name (two dots in a row?)');
    if (l.length > 63) fail(input, 'domain label "' + l + '" longer than 63 characters');
    for (let j = 0; j < l.length; j++) {
      const c = l.charAt(j);
      if (!isAlnum(c) && c !== '-') {
        if (c.charCodeAt(0) > 0x7e) fail(input, 'non-ASCII domain name: use its xn-- (IDNA A-label) form');
        fail(input, 'character "' + c + '" not allowed in a domain name');
      }
    }
    if (l.charAt(0) === '-' || l.charAt(l.length - 1) === '-') fail(input, 'domain label "' + l + '" starts or ends with a hyphen');
  }
  return name;
}

function canonicalMail(input: string, addr: string): string {
  const at = addr.lastIndexOf('@');
  if (at < 0) fail(input, 'an e-mail address needs an @');
  const local = addr.substring(0, at);
  const domain = addr.substring(at + 1);
  if (local.length === 0) fail(input, 'empty local part before @');
  if (local.length > 64) fail(input, 'local part longer than 64 characters (RFC 5321 §4.5.3.1.1)');
  if (local.charAt(0) === '"') fail(input, 'quoted local parts are not supported; use a dot-atom address');
  if (domain.charAt(0) === '[') fail(input, 'address literals are not supported; use a domain name');
  const atoms = local.split('.');
  for (let i = 0; i < atoms.length; i++) {
    if (atoms[i].length === 0) fail(input, 'local part has a leading, trailing or doubled dot');
    for (let j = 0; j < atoms[i].length; j++) {
      const c = atoms[i].charAt(j);
      if (!isAlnum(c) && ATEXT_SPECIALS.indexOf(c) < 0) fail(input, 'character "' + c + '" not allowed in the local part');
    }
  }
  return 'mail:' + local + '@' + checkDnsName(input, domain);
}

function isHexDigit(c: string): boolean {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/** True when v is groups of `size` hex digits separated by `sep` ('' for none) and 12 digits in all. */
function macForm(v: string, size: number, sep: string): boolean {
  const step = size + sep.length;
  if (v.length !== (12 / size) * step - sep.length) return false;
  for (let i = 0; i < v.length; i++) {
    const inSep = sep.length > 0 && i % step === size;
    if (inSep ? v.charAt(i) !== sep : !isHexDigit(v.charAt(i))) return false;
  }
  return true;
}

// Hand-written checks, not regular expressions: the device interpreter's RegExp does not
// handle quantified groups such as (:[0-9a-f]{2}){5}.
function canonicalMac(input: string, v: string): string {
  let hex = '';
  if (macForm(v, 2, ':')) hex = v.split(':').join('');
  else if (macForm(v, 2, '-')) hex = v.split('-').join('');
  else if (macForm(v, 4, '.')) hex = v.split('.').join('');
  else if (macForm(v, 12, '')) hex = v;
  else fail(input, 'a MAC address is 12 hex digits (aabbccddeeff, aa:bb:cc:dd:ee:ff, aa-bb-…, aabb.ccdd.eeff)');
  return 'mac:' + hex;
}

function canonicalIp4(input: string, v: string): string {
  const parts = v.split('.');
  if (parts.length !== 4) fail(input, 'an IPv4 address has four dot-separated numbers');
  for (let i = 0; i < 4; i++) {
    const p = parts[i];
    let digits = p.length >= 1 && p.length <= 3;
    for (let j = 0; j < p.length; j++) if (p.charAt(j) < '0' || p.charAt(j) > '9') digits = false;
    if (!digits) fail(input, 'IPv4 part "' + p + '" is not a number of 1 to 3 digits');
    if (p.length > 1 && p.charAt(0) === '0') fail(input, 'IPv4 part "' + p + '" has a leading zero (ambiguous: octal?)');
    if (parseInt(p, 10) > 255) fail(input, 'IPv4 part "' + p + '" is above 255');
  }
  return 'ip4:' + v;
}

/** The canonical form of an identity; throws an Error naming the problem when it is malformed. */
export function canonicalIdentity(input: string): string {
  if (typeof input !== 'string' || input.length === 0) fail(String(input), 'empty identity');
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) fail(input, 'contains a space or control character');
    // Before any case folding: toLowerCase maps some non-ASCII letters onto ASCII ones (U+212A
    // KELVIN SIGN -> 'k', U+0130 -> 'i' + dot), which would give one person another's key.
    if (c > 0x7e) {
      fail(input, 'non-ASCII character "' + input.charAt(i) + '" (identities are ASCII; write a domain name in its xn-- form)');
    }
  }
  const colon = input.indexOf(':');
  if (colon < 0) fail(input, 'missing scheme: write mail:, host:, mac: or ip4: before it');
  const scheme = input.substring(0, colon).toLowerCase();
  const value = input.substring(colon + 1).toLowerCase();
  let out = '';
  if (scheme === 'mail') out = canonicalMail(input, value);
  else if (scheme === 'host') out = 'host:' + checkDnsName(input, value);
  else if (scheme === 'mac') out = canonicalMac(input, value);
  else if (scheme === 'ip4') out = canonicalIp4(input, value);
  else fail(input, 'unknown scheme "' + scheme + ':" (known: mail:, host:, mac:, ip4:)');
  if (out.length > MAX_IDENTITY_BYTES) fail(input, 'longer than ' + MAX_IDENTITY_BYTES + ' bytes');
  return out;
}

/** True when `s` is already canonical (what the envelope requires of the identities it carries). */
export function isCanonicalIdentity(s: string): boolean {
  try {
    return canonicalIdentity(s) === s;
  } catch (e) {
    return false;
  }
}

/** Byte-wise order of two canonical (ASCII) identities: -1, 0 or 1. */
export function compareIdentities(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
