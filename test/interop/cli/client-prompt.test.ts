// The interactive question of `faxvault client listen` as a person meets it in a terminal (#9
// item 5, the patent's S24–S38): the real CLI process runs under a pseudo-terminal (util-linux's
// `script`, so its stdin is a TTY), the simulator in real time (`faxvault sim --realtime`: remote
// fax machines on its virtual line call box 12 and its LAN service delivers the notices over the
// host's loopback). First notice: nobody answers, the question times out, the document is left
// in its box. Second notice: the client is still listening and asks; a wrong code is refused
// with the tries left and asked again; the right code fetches the document, which is written.
// Nothing typed is echoed. Afterwards `client list` shows the first document still waiting, and
// `client fetch` in a terminal asks for it the same way (a wrong code, asked again, the right one).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { readdirSync, writeFileSync } from 'node:fs';
import { FV, fv, freePort, collect, exited, run, waitForPort } from './processes.ts';
import { textPage, writePbm, tempDir, decodeTiff, diffBitmaps } from '../peer/pages.ts';

const ANSWER_WITHIN = 6;

/** Waits until `re` matches `out` after position `from`; returns the end of the match. */
async function waitFor(out: { text: () => string }, re: RegExp, ms: number, from = 0, also = ''): Promise<number> {
  const end = Date.now() + ms;
  for (;;) {
    const t = out.text().slice(from);
    const m = re.exec(t);
    if (m) return from + m.index + m[0].length;
    if (Date.now() > end) throw new Error(`no ${re} within ${ms} ms in:\n${t.slice(-3000)}${also ? '\n--- ' + also : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('`client listen` in a terminal: a question nobody answers times out and leaves the document; a wrong code shows the tries left and asks again; the right one writes the document', async () => {
  const dir = tempDir('fv-client-prompt-');
  const center = join(dir, 'center');
  assert.is(fv(['center', 'init', '--dir', center, '--suites', 'poly', '--t', '7']).status, 0);
  assert.is(fv(['center', 'issue', 'host:fax.test', '--dir', center, '--out', join(dir, 'fax.key')]).status, 0);
  assert.is(fv(['center', 'issue', 'host:pc-ann.test', '--dir', center, '--out', join(dir, 'ann.key')]).status, 0);
  const clientPort = await freePort();
  const lanPort = await freePort();
  const cfg = join(dir, 'cfg.json');
  writeFileSync(cfg, JSON.stringify({
    station: { ident: '+1 555 0100' }, fax: { ringsBeforeAnswer: 1 }, lan: { listen: lanPort },
    boxes: [{ number: '12', owner: 'host:pc-ann.test', address: `127.0.0.1:${clientPort}`, code: '4711', pwd: '555' }],
  }));
  const out = join(dir, 'faxes');
  // The client under a pseudo-terminal: `script` gives it a TTY for stdin and stdout and passes
  // what this test writes to its stdin on as keys typed.
  const cmd = [process.execPath, ...FV, 'client', 'listen', '--key', join(dir, 'ann.key'), '--port', String(clientPort), '--host', '127.0.0.1',
    '--out', out, '--answer-within', String(ANSWER_WITHIN), '--exit-after', '2'].map((a) => `'${a}'`).join(' ');
  const term = spawn('script', ['-q', '-e', '-c', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const screen = collect(term);
  const termDone = exited(term, 300000);
  let sim: ReturnType<typeof spawn> | null = null;
  try {
    await waitFor(screen, /listening on port/, 30000);
    const pages = [textPage(['left in the box', 'nobody answered'], { height: 200 }), textPage(['fetched at the prompt', 'after a wrong code'], { height: 220 })];
    const files = pages.map((p, i) => { const f = join(dir, `call${i}.pbm`); writePbm(f, p); return f; });
    // Two calls, one after the other, from remote machines on the simulator's line.
    sim = spawn(process.execPath, [...FV, 'sim', '--realtime', '--quiet', '--config', cfg, '--data', join(dir, 'data'), '--key', join(dir, 'fax.key'),
      '--remote-send', files[0], '--remote-send', files[1], '--remote-sub', '12', '--remote-pwd', '555', '--seed', 'prompt'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const simOut = collect(sim);
    const simText = () => 'sim:\n' + simOut.text().slice(-2000);
    // The first notice: asked, nobody types; after ANSWER_WITHIN seconds it is left.
    let at = await waitFor(screen, /notice: box 12 {2}document (\d+) .*1 page/, 120000, 0, simText());
    const first = /notice: box 12 {2}document (\d+)/.exec(screen.text())![1];
    at = await waitFor(screen, new RegExp(`fetch document ${first} of box 12 now\\? pass code \\(not shown; Enter: later\\): `), 10000, at);
    const asked = Date.now();
    at = await waitFor(screen, new RegExp(`no answer within ${ANSWER_WITHIN} s: document ${first} stays in box 12 for later`), 20000, at);
    // Seen by this test's polling, under load perhaps late: only "not at once" is asserted.
    assert.ok(Date.now() - asked >= (ANSWER_WITHIN / 2) * 1000, 'not before the time');
    // The second notice: the client is still listening and asks again.
    const second = await waitFor(screen, /notice: box 12 {2}document (\d+) .*1 page/, 120000, at, simText());
    const doc = /notice: box 12 {2}document (\d+)/.exec(screen.text().slice(at))![1];
    assert.is.not(doc, first);
    at = await waitFor(screen, new RegExp(`fetch document ${doc} of box 12 now\\? pass code`), 10000, second);
    term.stdin!.write('0000\r');
    at = await waitFor(screen, /wrong pass code: 4 more tries before the box locks/, 30000, at);
    at = await waitFor(screen, new RegExp(`fetch document ${doc} of box 12 now\\? pass code`), 10000, at);
    term.stdin!.write('4711\r');
    at = await waitFor(screen, /saved .*box12_doc\d+\.tif/, 60000, at);
    assert.is(await termDone, 0, screen.text());
    // Typed codes are not echoed.
    assert.not.match(screen.text(), /0000|4711/);
    const tifs = readdirSync(out).filter((f) => f.endsWith('.tif'));
    assert.equal(tifs, tifs.filter((f) => f.endsWith(`_doc${doc}.tif`)));
    assert.is(tifs.length, 1, tifs.join());
    const got = decodeTiff(join(out, tifs[0]));
    assert.is(diffBitmaps(pages[1], got[0]), null);
    // The document nobody asked for still waits in its box.
    await waitForPort(lanPort);
    const l = await run(['client', 'list', '--key', join(dir, 'ann.key'), '--appliance', `host:fax.test@127.0.0.1:${lanPort}`, '--box', '12']);
    assert.is(l.status, 0, l.stderr);
    assert.match(l.stdout, new RegExp(`box 12 {2}document ${first} `));
    assert.not.match(l.stdout, new RegExp(`document ${doc} `));
    // `client fetch` without --code asks the same way; a wrong code, the tries left, asked again.
    const fetchCmd = [process.execPath, ...FV, 'client', 'fetch', '--key', join(dir, 'ann.key'), '--appliance', `host:fax.test@127.0.0.1:${lanPort}`,
      '--box', '12', '--doc', first, '--out', join(dir, 'later'), '--answer-within', '30'].map((a) => `'${a}'`).join(' ');
    const term2 = spawn('script', ['-q', '-e', '-c', fetchCmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const screen2 = collect(term2);
    const done2 = exited(term2, 120000);
    let at2 = await waitFor(screen2, /fetch box 12 now\? pass code \(not shown; Enter: later\): /, 30000);
    term2.stdin!.write('1234\r');
    at2 = await waitFor(screen2, /wrong pass code: \d more tries before the box locks/, 30000, at2);
    at2 = await waitFor(screen2, /fetch box 12 now\? pass code/, 10000, at2);
    term2.stdin!.write('4711\r');
    await waitFor(screen2, new RegExp(`saved .*box12_doc${first}\\.tif`), 60000, at2);
    assert.is(await done2, 0, screen2.text());
    assert.is(diffBitmaps(pages[0], decodeTiff(join(dir, 'later', readdirSync(join(dir, 'later')).find((f) => f.endsWith('.tif'))!))[0]), null);
  } finally {
    term.kill();
    if (sim) {
      sim.kill('SIGTERM');
      await exited(sim, 20000);
    }
  }
});

test.run();
