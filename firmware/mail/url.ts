// Mail server settings as URLs: `smtp://user:pass@host:port`, `smtps://…` (implicit TLS),
// `pop3://…`, `pop3s://…`. User and password may be percent-encoded (RFC 3986 §2.1) so an address
// like `fax@example.com` fits as `fax%40example.com`. `?starttls=no|yes` on smtp:/pop3: turns the
// STARTTLS upgrade off, or makes it required (default: used when offered and the stack can).

export interface ServerUrl {
  scheme: 'smtp' | 'smtps' | 'pop3' | 'pop3s';
  host: string;
  port: number;
  user: string;
  pass: string;
  /** Implicit TLS from the first byte. */
  tls: boolean;
  starttls: 'auto' | 'yes' | 'no';
}

const DEFAULT_PORT: { [scheme: string]: number } = { smtp: 25, smtps: 465, pop3: 110, pop3s: 995 };

function pctDecode(s: string): string | null {
  let bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (c === '%') {
      const v = parseInt(s.substring(i + 1, i + 3), 16);
      if (i + 2 >= s.length || v !== v) return null;
      bytes.push(v);
      i += 2;
    } else bytes.push(s.charCodeAt(i));
  }
  // UTF-8 bytes back to text (passwords may hold any character).
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b < 0x80) out += String.fromCharCode(b);
    else {
      let n = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : 1;
      let cp = b & (n === 3 ? 7 : n === 2 ? 15 : 31);
      for (; n > 0; n--) cp = (cp << 6) | (bytes[++i] & 63);
      out += cp >= 0x10000 ? String.fromCharCode(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 1023)) : String.fromCharCode(cp);
    }
  }
  bytes = [];
  return out;
}

/** Parse a server URL of one of `schemes`; the error names what is wrong (never the password). */
export function parseServerUrl(text: string, schemes: string[]): { url: ServerUrl | null; error: string } {
  const sep = text.indexOf('://');
  const scheme = sep > 0 ? text.substring(0, sep).toLowerCase() : '';
  if (schemes.indexOf(scheme) < 0) return { url: null, error: 'must begin with ' + schemes.join(':// or ') + '://' };
  let rest = text.substring(sep + 3);
  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.substring(q + 1);
    rest = rest.substring(0, q);
  }
  if (rest.charAt(rest.length - 1) === '/') rest = rest.substring(0, rest.length - 1);
  let user = '';
  let pass = '';
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const cred = rest.substring(0, at);
    rest = rest.substring(at + 1);
    const colon = cred.indexOf(':');
    const u = pctDecode(colon < 0 ? cred : cred.substring(0, colon));
    const p = pctDecode(colon < 0 ? '' : cred.substring(colon + 1));
    if (u === null || p === null) return { url: null, error: 'bad percent-encoding in the user or password' };
    user = u;
    pass = p;
  }
  let host = rest;
  let port = DEFAULT_PORT[scheme];
  const colon = rest.lastIndexOf(':');
  if (colon >= 0 && rest.indexOf(']') < colon) {
    host = rest.substring(0, colon);
    const p = rest.substring(colon + 1);
    let digits = p.length > 0 && p.length <= 5;
    for (let i = 0; i < p.length; i++) if (p.charCodeAt(i) < 48 || p.charCodeAt(i) > 57) digits = false;
    port = digits ? parseInt(p, 10) : -1;
    if (port < 1 || port > 65535) return { url: null, error: 'the port must be a number from 1 to 65535' };
  }
  if (host.charAt(0) === '[' && host.charAt(host.length - 1) === ']') host = host.substring(1, host.length - 1);
  if (!host || host.indexOf('/') >= 0 || host.indexOf(' ') >= 0) return { url: null, error: 'no usable host name' };
  let starttls: 'auto' | 'yes' | 'no' = 'auto';
  if (query) {
    const pairs = query.split('&');
    for (let i = 0; i < pairs.length; i++) {
      const kv = pairs[i].split('=');
      if (kv[0] === 'starttls' && (kv[1] === 'yes' || kv[1] === 'no' || kv[1] === 'auto')) starttls = kv[1] as 'auto' | 'yes' | 'no';
      else return { url: null, error: 'unknown option ' + JSON.stringify(pairs[i].substring(0, 20)) + ' (only starttls=yes|no|auto)' };
    }
  }
  const tls = scheme === 'smtps' || scheme === 'pop3s';
  if (tls) starttls = 'no';
  return {
    url: { scheme: scheme as ServerUrl['scheme'], host: host, port: port, user: user, pass: pass, tls: tls, starttls: starttls },
    error: '',
  };
}

/** The URL for traces and the panel: no password. */
export function describeServer(u: ServerUrl): string {
  return u.scheme + '://' + (u.user ? u.user + '@' : '') + u.host + ':' + u.port;
}
