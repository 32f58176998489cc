// The simulator's web panel (`faxvault sim --web [HOST:]PORT`): a page that draws the appliance
// — LCD, keypad, output tray, line and call, journal, boxes' counts — updated live over a
// WebSocket (the `ws` package), and a "remote fax machine" form that makes a fax machine on the
// emulated line call the appliance with a file, a SUB and a password.
//
//   GET  /                  the page (sim/web/assets/index.html; every asset ships in the package)
//   GET  /assets/NAME       its script and style sheet
//   GET  /appliance         the appliance's own status page (firmware/admin), as its HTTP port serves it
//   GET  /state             the panel's state as JSON (snapshot.ts), also pushed on /live
//   GET  /tray/N.png        page N of the output tray (the page being printed: rows so far)
//   POST /key               {"key":"OK"}: a key press, to the same keypad driver as the terminal's
//   POST /paper?present=0|1 take the paper out of the printer or put it back (as --keys paper:out)
//   POST /remote?sub=&pwd=&ecm=1&resolution=fine|standard&name=FILE   body: the file (PBM, PNG,
//                           TIFF, PDF): queued; the remote machine calls when the line is free
//   WS   /live              {"type":"state",…} on every change; accepts {"key":"OK"}
//
// It listens on 127.0.0.1 unless told otherwise: whoever reaches the page can press the keys.
// Requests from another site's page (an Origin that is not this server) are refused.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse, Server } from 'node:http';
import { readFileSync, readdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { Session } from '../session.ts';
import type { RemoteFax } from '../line/index.ts';
import { KEY_NAMES } from '../../hal/keypad.ts';
import type { KeyName } from '../../hal/keypad.ts';
import { encodePng } from '../../host/image/png.ts';
import { readDocumentFile, toFaxPages, DocumentError } from '../../host/image/document.ts';
import type { Bitmap } from '../../host/image/bitmap.ts';
import { snapshot } from './snapshot.ts';
import { StatusPage } from '../../firmware/admin/status-page.ts';
import { statusPageSource } from '../../firmware/admin/attach.ts';
import type { PanelSnapshot } from './snapshot.ts';

const ASSETS = join(dirname(fileURLToPath(import.meta.url)), 'assets');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png',
};
/** Largest file the remote form takes. */
const MAX_UPLOAD = 20 << 20;
const MAX_PAGES = 20;
/** How often the state is looked at for changes (ms). */
const POLL_MS = 150;

export interface WebPanelOptions {
  host: string;
  /** 0: any free port. */
  port: number;
}

export interface RemoteView {
  /** Calls waiting for the line. */
  queued: number;
  /** The remote machine's state in the call in progress ('' none). */
  active: string;
  /** The last calls' outcomes, newest first. */
  results: string[];
}

export interface WebPanel {
  url: string;
  server: Server;
  close(): Promise<void>;
}

interface QueuedRemote {
  name: string;
  pages: Bitmap[];
  sub: string;
  pwd: string;
  ecm: boolean;
}

/** Parses `[HOST:]PORT` (a bare port listens on 127.0.0.1). */
export function parseListen(text: string): WebPanelOptions {
  const m = /^(?:(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):)?(\d{1,5})$/.exec(text);
  if (!m || Number(m[2]) > 65535) throw new Error(`--web takes [HOST:]PORT, e.g. 8080 or 0.0.0.0:8080 (got '${text}')`);
  return { host: m[1] ? m[1].replace(/^\[|\]$/g, '') : '127.0.0.1', port: Number(m[2]) };
}

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (d: Buffer) => {
      size += d.length;
      if (size > limit) {
        reject(new Error(`too large (more than ${limit >> 20} MB)`));
        req.destroy();
        return;
      }
      parts.push(d);
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

/** Reads an uploaded document as the remote machine would scan it: fax width, chosen resolution. */
export function uploadedPages(name: string, bytes: Uint8Array, yDpi: 98 | 196): Bitmap[] {
  if (bytes.length === 0) throw new DocumentError('no file given');
  const dir = mkdtempSync(join(tmpdir(), 'fv-web-'));
  try {
    const ext = extname(name).toLowerCase().replace(/[^.a-z0-9]/g, '').slice(0, 6);
    const file = join(dir, 'upload' + ext);
    writeFileSync(file, bytes);
    let pages: Bitmap[];
    try {
      pages = readDocumentFile(file, yDpi);
    } catch (e) {
      // Name the file as the person knows it, not our temporary copy.
      throw new DocumentError((e as Error).message.split(file).join(name || 'the file'));
    }
    if (pages.length > MAX_PAGES) throw new DocumentError(`${name}: ${pages.length} pages; the remote machine sends at most ${MAX_PAGES}`);
    return toFaxPages(pages, yDpi);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function startWebPanel(session: Session, o: WebPanelOptions): Promise<WebPanel> {
  const { sim, app } = session;
  const assets = new Map<string, Buffer>();
  for (const f of readdirSync(ASSETS)) assets.set(f, readFileSync(join(ASSETS, f)));
  const pngCache = new Map<number, Uint8Array>();
  const queue: QueuedRemote[] = [];
  let active: { remote: RemoteFax; what: string } | null = null;
  const results: string[] = [];

  function remoteView(): RemoteView {
    return { queued: queue.length, active: active ? active.remote.state : '', results: results.slice(0, 5) };
  }

  function state(): PanelSnapshot & { remote: RemoteView } {
    return { ...snapshot(session), remote: remoteView() };
  }

  /** Starts the next queued remote call when the line is free and the last one is over. */
  function pumpRemotes(): void {
    if (active && active.remote.result.status !== 'in-progress') {
      const r = active.remote.result;
      results.unshift(`${active.what}: ${r.status}${r.reason ? ' (' + r.reason + ')' : ''}, ${r.pages} page(s) sent`);
      active = null;
    }
    if (active || queue.length === 0 || app.fax.lineUp || app.fax.rings > 0) return;
    const q = queue.shift()!;
    const remote = session.remoteSends(q.pages, {
      sub: q.sub || undefined, pwd: q.pwd || undefined, ecm: q.ecm, coding: q.ecm ? 'MMR' : 'MH', startAfterMs: 500,
    });
    active = { remote, what: `${q.name} to ${q.sub ? 'SUB ' + q.sub : 'the appliance'}` };
  }

  function trayPng(n: number): Uint8Array | null {
    const done = sim.printer.pages[n - 1];
    if (done) {
      let png = pngCache.get(n);
      if (!png) {
        png = encodePng(done.width, done.rows.length, done.rows);
        pngCache.set(n, png);
      }
      return png;
    }
    const p = sim.printer.inProgress();
    if (p && n === sim.printer.pages.length + 1 && p.rows.length > 0) return encodePng(p.width, p.rows.length, p.rows.slice());
    return null;
  }

  function press(key: unknown): boolean {
    if (typeof key !== 'string' || !(KEY_NAMES as string[]).includes(key)) return false;
    sim.keys.press(key as KeyName);
    return true;
  }

  function sameOrigin(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (!origin) return true; // not a browser page's request (curl, a test)
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://panel');
    const path = url.pathname;
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (path === '/' || path === '/index.html') return send(res, 200, TYPES['.html'], assets.get('index.html')!);
      const asset = /^\/assets\/([A-Za-z0-9_.-]+)$/.exec(path);
      if (asset && assets.has(asset[1])) return send(res, 200, TYPES[extname(asset[1])] ?? 'application/octet-stream', assets.get(asset[1])!);
      if (path === '/state') return json(res, 200, state());
      if (path === '/appliance') {
        const page = new StatusPage(statusPageSource(app.kernel, sim.board, app.settings, app.store, app.mailbox, app.status));
        let html = '';
        for (let line = page.next(); line !== null; line = page.next()) html += line + '\n';
        return send(res, 200, TYPES['.html'], html);
      }
      const tray = /^\/tray\/(\d+)\.png$/.exec(path);
      if (tray) {
        const png = trayPng(Number(tray[1]));
        return png ? send(res, 200, 'image/png', png) : json(res, 404, { error: `no page ${tray[1]} in the tray` });
      }
      return json(res, 404, { error: `nothing at ${path}` });
    }
    if (req.method !== 'POST') return json(res, 405, { error: `${req.method} is not used here` });
    if (!sameOrigin(req)) return json(res, 403, { error: 'requests from another site are refused' });
    if (path === '/key') {
      let key: unknown = url.searchParams.get('key');
      if (key === null) {
        try {
          key = (JSON.parse((await readBody(req, 1024)).toString('utf8')) as { key?: unknown }).key;
        } catch {
          key = null;
        }
      }
      return press(key) ? json(res, 200, { ok: true }) : json(res, 400, { error: `not a key: ${JSON.stringify(key)} (keys: ${KEY_NAMES.join(' ')})` });
    }
    if (path === '/paper') {
      const present = url.searchParams.get('present');
      if (present !== '0' && present !== '1') return json(res, 400, { error: 'present=0 (paper out) or present=1 (paper in)' });
      sim.printer.setPaper(present === '1');
      return json(res, 200, { ok: true, paper: sim.printer.paperPresent() });
    }
    if (path === '/remote') {
      if (!sim.line) return json(res, 409, { error: 'the remote fax machine needs the emulated line (--modem virtual)' });
      const sub = url.searchParams.get('sub') ?? '';
      const pwd = url.searchParams.get('pwd') ?? '';
      const name = (url.searchParams.get('name') ?? 'document').slice(0, 200);
      const resolution = url.searchParams.get('resolution') ?? 'fine';
      // T.30 §5.3.6.2.6/.9: SUB and PWD/SID are up to 20 digits, space, # and *.
      if (!/^[0-9 #*]{0,20}$/.test(sub)) return json(res, 400, { error: 'SUB: up to 20 digits (and space, # or *)' });
      if (!/^[0-9 #*]{0,20}$/.test(pwd)) return json(res, 400, { error: 'password: up to 20 digits (and space, # or *)' });
      if (resolution !== 'fine' && resolution !== 'standard') return json(res, 400, { error: 'resolution: fine or standard' });
      let body: Buffer;
      try {
        body = await readBody(req, MAX_UPLOAD);
      } catch (e) {
        return json(res, 413, { error: `the file is ${(e as Error).message}` });
      }
      let pages: Bitmap[];
      try {
        pages = uploadedPages(name, body, resolution === 'fine' ? 196 : 98);
      } catch (e) {
        if (e instanceof DocumentError) return json(res, 400, { error: e.message });
        return json(res, 400, { error: `${name}: ${(e as Error).message}` });
      }
      queue.push({ name, pages, sub: sub.trim(), pwd: pwd.trim(), ecm: url.searchParams.get('ecm') === '1' });
      pumpRemotes();
      return json(res, 202, { ok: true, pages: pages.length, queued: queue.length, calling: active !== null });
    }
    return json(res, 404, { error: `nothing at ${path}` });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) json(res, 500, { error: (e as Error).message });
      else res.end();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://panel').pathname;
    if (path !== '/live' || !sameOrigin(req)) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  let last = '';
  wss.on('connection', (ws: WebSocket) => {
    ws.send(last || JSON.stringify({ type: 'state', ...state() }));
    ws.on('message', (data) => {
      try {
        press((JSON.parse(String(data)) as { key?: unknown }).key);
      } catch {
        // not JSON: ignored
      }
    });
  });
  const timer = setInterval(() => {
    pumpRemotes();
    const text = JSON.stringify({ type: 'state', ...state() });
    if (text === last) return;
    last = text;
    for (const c of wss.clients) if (c.readyState === c.OPEN) c.send(text);
  }, POLL_MS);
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      clearInterval(timer);
      reject(new Error(e.code === 'EADDRINUSE' ? `${o.host}:${o.port} is in use (choose another port with --web)` : `cannot listen on ${o.host}:${o.port}: ${e.message}`));
    });
    server.listen(o.port, o.host, () => {
      const a = server.address();
      const port = typeof a === 'object' && a ? a.port : o.port;
      const host = o.host === '0.0.0.0' || o.host === '::' ? 'localhost' : o.host.includes(':') ? `[${o.host}]` : o.host;
      resolve({
        url: `http://${host}:${port}/`,
        server,
        close: () => new Promise<void>((done) => {
          clearInterval(timer);
          for (const c of wss.clients) c.terminate();
          wss.close();
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}
