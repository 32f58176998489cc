// The device peaks on the interpreter (bench/device.ts): a confidential reception, a print at the
// panel and a LAN delivery, on the faked board (test/build/fixtures/espruino-board-prelude.js).
//
// On Node first (test/build/fixtures/device-rig.ts): the flash image the board boots from (the
// rig's settings — box 12 for host:pc-ann.lan, LAN service on a free port — and the appliance's
// FAXNIKS key) and the modem conversation of a reception of the rig's pages to SUB 12, recorded
// from the firmware on the simulated board. On the interpreter: the board boots from that image,
// its modem plays the recording (and checks every byte the firmware writes against it), then the
// keys print box 12 with its pass code, then an owner's computer (the real client library, here
// on Node) fetches the document over the LAN protocol from the interpreter's listening socket.
// Each moment's peak is sampled from its start (after every kernel dispatch and every 5 ms).
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Interpreter } from '../test/build/interpreter.ts';
import { tagged } from '../test/build/interpreter.ts';
import { ESP32_MAX_DOCUMENTS } from '../hal/espruino/pins.ts';
import { rigFlashImage, rigImageWithDocuments, recordReception, keyMatrix, PRINT_KEYS, APPLIANCE_ID, BOX, CODE, ownerAgreement } from '../test/build/fixtures/device-rig.ts';
import { SMTPServer } from 'smtp-server';
import { connect, listBox, fetchDocument } from '../host/client/client.ts';
import { OsEntropy } from '../sim/board/entropy.ts';
import { nodeCryptoAccel } from '../host/crypto/node-accel.ts';

/**
 * Rows of each page the remote sends. Small: the emulated interpreter (qemu, code read from a
 * file per access) works through ~100 bytes of page data a second, so a dense A4 page would take
 * twenty minutes; the buffers a reception holds are per row and per page, not per document.
 * FAXVAULT_RIG_ROWS=rows,rows,… to change; FAXVAULT_RIG_ECHO=1 shows what the interpreter prints.
 */
const PAGE_ROWS = (process.env.FAXVAULT_RIG_ROWS || '32,32,32').split(',').map(Number);
/** How much slower the firmware's clock runs on the rig (BOARD.slowClock in the prelude). */
const SLOW = 25;

export interface Peak {
  moment: string;
  vars: number | null;
  note: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/**
 * What both scenarios begin with: the faked board with the rig's flash image and recording, the
 * sampler, the appliance booted as the board boots it, `hostDone(file)` (the text the host wrote to
 * a file, or null) and `when(cond, then, limitS, what)` (a wait on the board's real timers).
 */
function scenarioHead(sampler: string): string {
  return `var B0=process.memory().usage;eval(require("Storage").read("board.js"));print("BOARDVARS "+(process.memory().usage-B0));
BOARD.flashFile="flash.img";BOARD.modemTx="modem-tx.bin";BOARD.modemRx="modem-rx.bin";BOARD.slowClock(${SLOW});
${sampler}
eval(require("Storage").read(".bootcde"));
var app=faxvault.start();
BOARD.modemBacklog=function(){return app.class1.uart.readable();};
wrapDispatch(app.kernel);
var iv=realSetInterval(sample,5);
function hostDone(name){try{var f=E.openFile(name,"r");if(!f)return null;var t=f.read(300);f.close();return t||null;}catch(e){return null;}}
function when(cond,then,limitS,what){var t0=realGetTime();var t=realSetInterval(function(){
  if(cond()){clearInterval(t);then();return;}
  if(PLAYER&&PLAYER.bad){clearInterval(t);print("FAILED "+what+": modem: "+PLAYER.bad);quit();return;}
  if(realGetTime()-t0>limitS){clearInterval(t);print("FAILED "+what+": no end in "+limitS+" s; "+app.fax.state.name+" "+app.class1.state.name+" | "+app.kernel.tracer.snapshot().slice(-6).join(" | "));quit();}
},100);}
`;
}

// The scenario on the interpreter: the call, the LAN delivery (the owner's client on Node writes
// lan.done when it has the document), the print at the panel. Plain ES5; the board's own timers are the real ones
// (realSetTimeout/realSetInterval), the firmware's are slowed (BOARD.slowClock): keys come 120 ms
// apart in the firmware's time (the keypad drops a repeat within 50 ms as a bounce).
function scenario(sampler: string, keys: string, noticeBytes: number, printBytes: number): string {
  return scenarioHead(sampler) + `realSetInterval(function(){print("STATE "+JSON.stringify(BOARD.line(0)+"|"+BOARD.line(1))+" "+app.fax.state.name+" "+app.spooler.status()+" printer "+BOARD.printerBytes+" modem "+(PLAYER?PLAYER.played:0));},30000);
function docs(){return app.store.documents().map(function(d){return d.meta.box+"/"+d.pages+"/"+d.result;}).join(",");}
when(function(){return PLAYER.held;},function(){
  print("RIGIDLE "+process.memory().usage);
  peakFrom();BOARD.modemGo();
  when(function(){return app.callsEnded>0&&PLAYER.done&&app.spooler.status()==="IDLE"&&BOARD.printerBytes>=${noticeBytes};},function(){
    print("CALL "+PEAK+" "+docs()+" "+JSON.stringify(app.kernel.faults));
    peakFrom();print("LANGO now");
    when(function(){return hostDone("lan.done");},function(){
      print("LAN "+PEAK+" "+hostDone("lan.done")+" "+JSON.stringify(app.kernel.faults));
      // The print is a moment of its own: it starts once the LAN service has let its module go.
      when(function(){return !app.delivery.lan.engine;},function(){
      var keys=${keys};var i=0;var p0=BOARD.printerBytes;peakFrom();
      var kv=realSetInterval(function(){
        if(i<keys.length){BOARD.key(keys[i][0],keys[i][1]);i++;return;}
        clearInterval(kv);
        when(function(){return app.spooler.status()==="IDLE"&&BOARD.printerBytes-p0>=${printBytes};},function(){
          print("PRINT "+PEAK+" "+(BOARD.printerBytes-p0)+" "+JSON.stringify(app.kernel.faults));quit();
        },1200,"the print");
      },${SLOW * 120});
      },600,"the LAN module's release");
    },1200,"the LAN delivery");
  },1800,"the call");
},600,"the modem set-up");
`;
}

/**
 * The board idle with as many documents kept as it allows (ESP32_MAX_DOCUMENTS confidential
 * documents of three 8 KB pages in box 12): what the document index costs at the cap, on top of
 * every other moment (docs/ESPRUINO.md, "Documents kept").
 */
export async function deviceKeptDocuments(it: Interpreter): Promise<Peak> {
  const moment = 'idle with ' + ESP32_MAX_DOCUMENTS + ' documents kept';
  const o = { lanPort: await freePort(), pageRows: PAGE_ROWS };
  const image = rigImageWithDocuments(o, rigFlashImage(o), ESP32_MAX_DOCUMENTS, 8000);
  writeFileSync(join(it.dir, 'flash.img'), image);
  const r = await it.run('eval(require("Storage").read("board.js"));BOARD.flashFile="flash.img";eval(require("Storage").read(".bootcde"));' +
    'var app=faxvault.start();setTimeout(function(){print("KEPT "+process.memory().usage+" "+app.store.documents().length+" "+app.store.isFull());quit();},3000);', 600000);
  const m = /^(?:>?\x1b\[J)?KEPT (\d+) (\d+) (\w+)/m.exec(r.out);
  if (!m) return { moment, vars: null, note: '(no report: ' + r.out.slice(-300).replace(/\s+/g, ' ') + ')' };
  const ok = Number(m[2]) === ESP32_MAX_DOCUMENTS && m[3] === 'true';
  return { moment, vars: Number(m[1]), note: ok ? '(the store full at the cap)' : 'FAILED: ' + m[2] + ' documents, full ' + m[3] };
}

/** Runs the rig on `it` (the bundle and board.js already in its Storage); one peak per moment. */
export async function devicePeaks(it: Interpreter, sampler: string): Promise<Peak[]> {
  const lanPort = await freePort();
  // The owner's computer: on, its client not running (the notice's connection closed at once).
  const owner = createServer((sock) => sock.destroy());
  await new Promise<void>((resolve) => owner.listen(0, '127.0.0.1', () => resolve()));
  const ownerPort = (owner.address() as { port: number }).port;
  const o = { lanPort, ownerPort, pageRows: PAGE_ROWS };
  const image = rigFlashImage(o);
  const rec = recordReception(o, image);
  const t = rec.transcript;
  const pageBytes = rec.coded.reduce((n, c) => n + c.length, 0);
  // EspruinoPrinter: ESC @ (2), per row GS v 0 (8) + 216 bytes, ESC d 4 and GS V 1 (6).
  const bytesOf = (pages: number[]): number => pages.reduce((n, rows) => n + 8 + rows * 224, 0);
  const printBytes = bytesOf(rec.printedRows);
  const noticeBytes = bytesOf(rec.noticeRows);
  writeFileSync(join(it.dir, 'flash.img'), image);
  writeFileSync(join(it.dir, 'modem-tx.bin'), t.tx);
  writeFileSync(join(it.dir, 'modem-rx.bin'), t.rx);
  const what = `${PAGE_ROWS.length} pages of ${PAGE_ROWS.join('/')} rows of text, fine, MH, ${pageBytes} bytes at 14400 bit/s, to SUB ${BOX}`;
  let lanResult: Promise<string> | null = null;
  let seen = '';
  const r = await it.run(scenario(sampler, JSON.stringify(keyMatrix(PRINT_KEYS)), noticeBytes, printBytes), 4 * 3600 * 1000, (text) => {
    seen += text;
    if (process.env.FAXVAULT_RIG_ECHO) process.stderr.write(text.replace(/[^\n\x20-\x7e]/g, ''));
    if (!lanResult && tagged(seen, 'LANGO') !== null) lanResult = fetchOverLan(lanPort, it.dir);
    // Out of memory the interpreter stops its timers: nothing more to measure.
    if (/OUT OF MEMORY/.test(seen)) return 'stop';
  });
  if (lanResult) await lanResult;
  owner.close();
  // The run is stopped as soon as the interpreter reports OUT OF MEMORY: what it printed is in
  // `seen` (the run's own output may end before it).
  const out = r.out.length >= seen.length ? r.out : seen;
  const oom = /(?:OUT OF MEMORY|Not enough memory)[^\n]*\n?([^\n]*)/.exec(out);
  const failed = tagged(out, 'FAILED') || (oom ? 'OUT OF MEMORY' + (oom[1].trim() ? ' at ' + oom[1].trim().slice(0, 70) : '') : null);
  const tail = out.slice(-400).replace(/\s+/g, ' ');
  const board = Number(tagged(out, 'BOARDVARS'));
  const peaks: Peak[] = [];
  const call = /^(?:>?\x1b\[J)?CALL (\d+) (\S*) (.*)$/m.exec(out);
  const docOk = call && call[2] === `${BOX}/${PAGE_ROWS.length}/ok`;
  const idle = tagged(out, 'RIGIDLE');
  peaks.push({
    moment: 'received call peak',
    vars: call ? Number(call[1]) : null,
    note: call ? `(${what}, from idle at ${idle}; stored ${call[2] || 'nothing'}${docOk ? '' : ' — NOT the document sent'}${call[3] === '[]' ? '' : ', faults ' + call[3]})` : `(${what}, from idle at ${idle}: ${failed || 'no report: ' + tail})`,
  });
  const lan = /^(?:>?\x1b\[J)?LAN (\d+) (.*) (\[.*\])$/m.exec(out);
  const print = /^(?:>?\x1b\[J)?PRINT (\d+) (\d+) (.*)$/m.exec(out);
  peaks.push({
    moment: 'printed document peak',
    vars: print ? Number(print[1]) : null,
    note: print ? `(box ${BOX} at the panel with its pass code: ${rec.printedRows.length} pages, ${print[2]} bytes to the printer${Number(print[2]) === printBytes ? '' : ', expected ' + printBytes}${print[3] === '[]' ? '' : ', faults ' + print[3]})` : `(${lan ? failed || 'no report: ' + tail : 'no LAN delivery before it'})`,
  });
  peaks.push({
    moment: 'LAN delivery peak',
    vars: lan ? Number(lan[1]) : null,
    note: lan ? `(box ${BOX}'s document fetched by the owner's client over the LAN protocol after the call: ${lan[2]}${lan[3] === '[]' ? '' : ', faults ' + lan[3]})` : `(${call ? failed || 'no report: ' + tail : 'no call'})`,
  });
  if (Number.isFinite(board)) peaks.forEach((p) => { if (p.vars !== null) p.note += ` (faked board: ${board} variables included)`; });
  return peaks;
}

/** The owner's computer: `client list` then `client fetch` of box 12's document, on this host. */
async function fetchOverLan(port: number, dir: string): Promise<string> {
  let result: string;
  try {
    const keys = { agreements: [ownerAgreement()], accel: nodeCryptoAccel, entropy: new OsEntropy(), now: () => Date.now() };
    // The interpreter is slow (its clock runs SLOW times slower): generous time-outs.
    const s = await connect(keys, { identity: APPLIANCE_ID, host: '127.0.0.1', port }, {}, undefined, 600000);
    const listing = await listBox(s, BOX);
    if (listing.docs.length !== 1) throw new Error(listing.docs.length + ' documents listed in box ' + BOX);
    const d = await fetchDocument(s, BOX, listing.docs[0].doc, CODE);
    s.close();
    result = `${d.pages.length} pages received`;
  } catch (e) {
    result = 'failed: ' + String((e as Error).message || e).replace(/\s+/g, ' ');
  }
  writeFileSync(join(dir, 'lan.done'), result);
  return result;
}

// The mail rig on the interpreter: box 12 belongs to a mail: owner and is delivered after each
// reception; the call (the same recording as above, made with these settings), then the document
// mail sent by the appliance's SMTP client to an SMTP server on this host (npm's smtp-server:
// plain SMTP on 127.0.0.1, no login), which writes mail.done once it has the mail holding the
// sealed document (docs/MAIL.md: part `document.fxv`).
function mailScenario(sampler: string): string {
  return scenarioHead(sampler) + `when(function(){return PLAYER.held;},function(){
  print("RIGIDLE "+process.memory().usage);
  peakFrom();BOARD.modemGo();
  when(function(){return app.callsEnded>0&&PLAYER.done;},function(){
    print("MAILCALL "+PEAK+" "+JSON.stringify(app.kernel.faults));
    peakFrom();
    when(function(){return hostDone("mail.done");},function(){print("MAIL "+PEAK+" "+hostDone("mail.done")+" "+JSON.stringify(app.kernel.faults));quit();},2400,"the mail delivery");
  },1800,"the call");
},600,"the modem set-up");
`;
}

/** The mail delivery peak (a rig run of its own: its flash image has the mail settings). */
export async function deviceMailPeak(it: Interpreter, sampler: string): Promise<Peak> {
  const smtpPort = await freePort();
  const lanPort = await freePort();
  let got = '';
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, cb) {
      let text = '';
      stream.on('data', (d: Buffer) => { text += d.toString('latin1'); });
      stream.on('end', () => {
        if (text.includes('document.fxv')) {
          got = `the document mail (${text.length} bytes) received by the host's SMTP server`;
          writeFileSync(join(it.dir, 'mail.done'), got);
        }
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(smtpPort, '127.0.0.1', () => resolve()));
  const o = { lanPort, pageRows: PAGE_ROWS, mailSmtpPort: smtpPort };
  const image = rigFlashImage(o);
  const rec = recordReception(o, image);
  writeFileSync(join(it.dir, 'flash.img'), image);
  writeFileSync(join(it.dir, 'modem-tx.bin'), rec.transcript.tx);
  writeFileSync(join(it.dir, 'modem-rx.bin'), rec.transcript.rx);
  let seen = '';
  const r = await it.run(mailScenario(sampler), 4 * 3600 * 1000, (text) => {
    seen += text;
    if (process.env.FAXVAULT_RIG_ECHO) process.stderr.write(text.replace(/[^\n\x20-\x7e]/g, ''));
    if (/OUT OF MEMORY/.test(seen)) return 'stop';
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const out = r.out.length >= seen.length ? r.out : seen;
  const mail = /^(?:>?\x1b\[J)?MAIL (\d+) (.*) (\[.*\])$/m.exec(out);
  const oom = /(?:OUT OF MEMORY|Not enough memory)[^\n]*\n?([^\n]*)/.exec(out);
  const failed = tagged(out, 'FAILED') || (oom ? 'OUT OF MEMORY' + (oom[1].trim() ? ' at ' + oom[1].trim().slice(0, 70) : '') : null);
  const board = Number(tagged(out, 'BOARDVARS'));
  const call = tagged(out, 'MAILCALL');
  return {
    moment: 'mail delivery peak',
    vars: mail ? Number(mail[1]) : null,
    note: mail
      ? `(box ${BOX} for a mail: owner, delivered after each reception: ${mail[2]}${mail[3] === '[]' ? '' : ', faults ' + mail[3]}; the call before it peaked at ${call ? call.split(' ')[0] : '?'})` + (Number.isFinite(board) ? ` (faked board: ${board} variables included)` : '')
      : `(box ${BOX} for a mail: owner, delivered after each reception: ${failed || 'no report: ' + out.slice(-300).replace(/\s+/g, ' ')}${got ? '; ' + got : ''})`,
  };
}
