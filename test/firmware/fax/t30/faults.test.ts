// Fault injection on the emulated line (virtual time): every fault ends in the documented outcome.
// A dropped line loses no page already confirmed by MCF; a noisy page gets RTN (and is sent
// again) or ECM retransmission, never a silently stored bad page.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimRig, testPage, pageOf, decode, sameBitmap, encodePage } from './sim-rig.ts';
import type { Station } from './sim-rig.ts';
import type { LineFaults } from '../../../../sim/line/index.ts';

function pair(faults: LineFaults, o: { ecm?: boolean; pages?: number; rx?: any; tx?: any } = {}) {
  const rig = new SimRig({ faults });
  const a = rig.station('100', { ident: '100', caps: { ecm: o.ecm ?? false }, ...(o.tx || {}) });
  const b = rig.station('200', { ident: '200', caps: { ecm: o.ecm ?? false }, ...(o.rx || {}) });
  const pages = Array.from({ length: o.pages ?? 1 }, (_, i) => testPage(i + 1, 220));
  rig.runUntil(() => a.fax.ready && b.fax.ready, 5000);
  a.fax.send({ number: '200', pages: pages.map((p) => pageOf(p)) });
  rig.runUntil(() => a.journal.length > 0 && b.journal.length > 0, 900000);
  return { rig, a, b, pages };
}

function why(...s: Station[]) {
  return s.map((x, i) => `\n--- station ${i}\n` + x.trace().filter((l) => / t30: /.test(l)).join('\n')).join('');
}

/** Every page the receiver kept (confirmed) decodes exactly to what was sent. */
function confirmedPagesExact(b: Station, pages: any[]) {
  const kept = b.stored.filter((s) => s.confirmed);
  kept.forEach((s, i) => assert.is(sameBitmap(pages[i], decode(s.data, s.info.coding).bitmap), null, `kept page ${i + 1}`));
  return kept.length;
}

test('line drops in page 2 of 3: page 1 (MCF) is kept, page 2 is discarded, both journals say so', () => {
  const { a, b, pages } = pair({ dropInPage: { page: 2, afterBytes: 2000 } }, { pages: 3 });
  assert.ok(a.journal.length && b.journal.length, why(a, b));
  assert.is(b.journal[0].pages, 1, why(a, b));
  assert.is(b.journal[0].result, 'line-dropped');
  assert.match(b.journal[0].reason, /during page 2/);
  assert.is(a.journal[0].pages, 1);
  assert.is.not(a.journal[0].result, 'ok');
  assert.equal(b.stored.map((s) => s.confirmed), [true, false]);
  assert.is(confirmedPagesExact(b, pages), 1);
});

test('bit errors in page 1 without ECM: RTN, the sender retrains and sends it again; only the good copy is kept', () => {
  const bytes = Array.from({ length: 40 }, (_, i) => 300 + i * 97);
  const { a, b, pages } = pair({ bitErrors: [{ page: 1, bytes }] }, { pages: 2 });
  assert.is(a.journal[0]?.result, 'ok', why(a, b));
  assert.is(b.journal[0].pages, 2);
  const t = a.trace().join('\n');
  assert.match(t, /<- RTN/);
  assert.match(b.trace().join('\n'), /page 1: 220 lines, [1-9]\d* bad/);
  assert.equal(b.stored.map((s) => s.confirmed), [false, true, true]);
  assert.is(confirmedPagesExact(b, pages), 2);
});

test('a line too noisy for every try: three RTNs, the sender gives up with a reason, nothing bad is kept', () => {
  const { a, b } = pair({ bitErrorRate: 3e-3, seed: 'noisy' }, { pages: 1 });
  assert.is(a.journal[0]?.result, 'page-rejected', why(a, b));
  assert.match(a.journal[0].reason, /page 1 refused 3 times \(RTN\)/);
  assert.is(a.journal[0].pages, 0);
  assert.ok(b.stored.every((s) => !s.confirmed), 'no bad page kept');
});

test('bit errors with ECM: PPR names the bad frames, they are sent again, the pages arrive exact', () => {
  const { a, b, pages } = pair({ bitErrorRate: 2e-5, seed: 'ecm' }, { ecm: true, pages: 2 });
  assert.is(a.journal[0]?.result, 'ok', why(a, b));
  assert.match(a.trace().join('\n'), /<- PPR [1-9]\d* missing/);
  assert.match(a.trace().join('\n'), /\(resend\)/);
  assert.is(confirmedPagesExact(b, pages), 2);
});

test('training fails twice at the remote: V.17 14400 -> 12000 -> 9600, then the page goes through', () => {
  const rig = new SimRig();
  const a = rig.station('100', { caps: { ecm: false } });
  const far = rig.line.attachRemote('300', { role: 'receive', failTraining: 2, coding: 'MR' });
  rig.runUntil(() => a.fax.ready, 5000);
  a.fax.send({ number: '300', pages: [pageOf(testPage(5, 100))] });
  rig.runUntil(() => a.journal.length > 0);
  assert.is(a.journal[0].result, 'ok', why(a));
  assert.is(far.result.pages, 1);
  const t = a.trace().join('\n');
  assert.match(t, /<- FTT[\s\S]*-> DCS 12000 fine MR[\s\S]*<- FTT[\s\S]*-> DCS 9600 fine MR[\s\S]*<- CFR/);
});

test('a DIS with a bad FCS: the caller listens again and gets the repeated DIS', () => {
  const rig = new SimRig();
  const a = rig.station('100', { caps: { ecm: false } });
  rig.line.attachRemote('300', { role: 'receive', badFcsFirst: true });
  rig.runUntil(() => a.fax.ready, 5000);
  a.fax.send({ number: '300', pages: [pageOf(testPage(6, 80))] });
  rig.runUntil(() => a.journal.length > 0);
  assert.is(a.journal[0].result, 'ok', why(a));
  assert.match(a.trace().join('\n'), /bad FCS dropped/);
});

test('busy and no answer end the call with those results and a readable reason', () => {
  const rig = new SimRig({});
  const a = rig.station('100');
  rig.line.attachRemote('300', {}, { busy: true });
  rig.line.attachRemote('400', { neverAnswer: true });
  rig.runUntil(() => a.fax.ready, 5000);
  a.fax.send({ number: '300', pages: [pageOf(testPage(1, 50))] });
  rig.runUntil(() => a.journal.length > 0);
  assert.is(a.journal[0].result, 'busy', why(a));
  assert.match(a.journal[0].reason, /300 is busy/);
  a.fax.send({ number: '400', pages: [pageOf(testPage(1, 50))] });
  rig.runUntil(() => a.journal.length > 1);
  assert.is(a.journal[1].result, 'no-answer', why(a));
});

test('a session without its sending side receives, and refuses every job to send', () => {
  const rig = new SimRig({});
  const a = rig.station('100', { receiveOnly: true });
  rig.line.attachRemote('300', { role: 'receive' });
  rig.runUntil(() => a.fax.ready, 5000);
  assert.is(a.fax.send({ number: '300', pages: [pageOf(testPage(1, 50))] }), false);
  rig.runUntil(() => false, 60000);
  assert.is(a.journal.length, 0, 'nothing dialled');
  const far = rig.line.attachRemote('500', { role: 'send', call: '100', pages: [encodePage(testPage(2, 60), 'mh')] });
  rig.runUntil(() => a.journal.length > 0);
  assert.is(a.journal[0].result, 'ok', why(a));
  assert.is(a.stored.length, 1);
  assert.is(far.result.status, 'ok');
});

test('a fault as a send begins (before the call is up): the session restarts and lets its sending side go', () => {
  const rig = new SimRig({});
  let loads = 0;
  let releases = 0;
  const broken = {
    name: 'T_BROKEN',
    on(_me: unknown, e: { sig: string }) {
      if (e.sig === 'ENTRY') throw new Error('dial state broken');
    },
  };
  const a = rig.station('100', {
    faultPolicy: 'restart-object',
    sender: {
      load: () => {
        loads++;
        return broken as never;
      },
      release: () => {
        releases++;
      },
    },
  });
  rig.runUntil(() => a.fax.ready, 5000);
  assert.ok(a.fax.send({ number: '300', pages: [pageOf(testPage(1, 50))] }));
  rig.runUntil(() => loads > 0 && a.fax.ready, 20000);
  assert.is(loads, 1);
  assert.is(releases, 1, 'released by the restart');
  assert.ok(a.kernel.faults.length >= 1);
});

test('the store is full from page 2: the receiver refuses it with DCN, page 1 stays confirmed', () => {
  const { a, b } = pair({}, { pages: 3, rx: { fullFromPage: 2 } });
  assert.is(b.journal[0]?.result, 'memory-full', why(a, b));
  assert.is(b.journal[0].pages, 1);
  assert.is(a.journal[0].pages, 1);
  assert.is(a.journal[0].result, 'remote-disconnected');
  assert.equal(b.stored.map((s) => s.confirmed), [true, false]);
  assert.match(b.trace().join('\n'), /-> DCN/);
});

test('a remote sender hangs up after page 2 without a post-page command: page 1 kept, page 2 not', () => {
  const rig = new SimRig();
  const b = rig.station('200', { caps: { ecm: false } });
  const pages = [testPage(1, 100), testPage(2, 100), testPage(3, 100)];
  rig.runUntil(() => b.fax.ready, 5000);
  rig.line.attachRemote('300', { role: 'send', call: '200', coding: 'MH', pages: pages.map((p) => encodePage(p, 'mh')), dropAfterPage: 2, ident: 'REMOTE 300' });
  rig.runUntil(() => b.journal.length > 0);
  assert.is(b.journal[0].pages, 1, why(b));
  assert.is.not(b.journal[0].result, 'ok');
  assert.is(b.journal[0].remoteIdent, 'REMOTE 300');
  assert.equal(b.stored.map((s) => s.confirmed), [true, false]);
});

test('an ECM sender with an off-by-one PPS page counter is still received exactly', () => {
  const rig = new SimRig();
  const b = rig.station('200', {});
  const pages = [testPage(1, 120), testPage(2, 120)];
  rig.runUntil(() => b.fax.ready, 5000);
  const far = rig.line.attachRemote('300', { role: 'send', call: '200', ecm: true, coding: 'MMR', pages: pages.map((p) => encodePage(p, 'mmr')), ppsOffByOne: true, sub: '55', pwd: 'pw' });
  rig.runUntil(() => b.journal.length > 0);
  assert.is(b.journal[0].result, 'ok', why(b));
  assert.is(far.result.status, 'ok');
  assert.equal(b.stored.map((s) => [s.confirmed, s.info.sub, s.info.pwd]), [[true, '55', 'pw'], [true, '55', 'pw']]);
  b.stored.forEach((s, i) => assert.is(sameBitmap(pages[i], decode(s.data, 'MMR').bitmap), null));
});

test('ECM on a line too noisy for every block: four PPRs, CTC one rate lower each time, then a clean give-up; nothing bad kept', () => {
  const { a, b } = pair({ bitErrorRate: 2e-3, seed: 'awful' }, { ecm: true, pages: 1 });
  assert.ok(a.journal.length && b.journal.length, why(a, b));
  const t = a.trace().join('\n');
  assert.match(t, /-> CTC/);
  assert.match(t, /<- CTR/);
  assert.is(a.journal[0].result, 'ecm-failed', why(a, b));
  assert.match(a.journal[0].reason, /after four PPRs at the lowest rate/);
  assert.ok(b.stored.every((s) => !s.confirmed), 'no page kept');
  assert.is.not(b.journal[0].result, 'ok');
});

test('a remote sender separating pages with EOM (phase B again for each): all pages received', () => {
  const rig = new SimRig();
  const b = rig.station('200', { caps: { ecm: false } });
  const pages = [testPage(7, 90), testPage(8, 90)];
  rig.runUntil(() => b.fax.ready, 5000);
  const far = rig.line.attachRemote('300', { role: 'send', call: '200', coding: 'MR', pages: pages.map((p) => encodePage(p, 'mr')), useEom: true, maxRate: 9600 });
  rig.runUntil(() => b.journal.length > 0);
  assert.is(b.journal[0].result, 'ok', why(b));
  assert.is(far.result.status, 'ok');
  assert.is(b.journal[0].pages, 2);
  b.stored.forEach((s, i) => assert.is(sameBitmap(pages[i], decode(s.data, s.info.coding).bitmap), null));
});

test('a remote receiver answering RTP, then PIP: each page counts as delivered, the sender retrains before the next', () => {
  const rig = new SimRig();
  const a = rig.station('100', { caps: { ecm: false } });
  const far = rig.line.attachRemote('300', { role: 'receive', policy: ['RTP', 'PIP', 'MCF'] });
  rig.runUntil(() => a.fax.ready, 5000);
  a.fax.send({ number: '300', pages: [pageOf(testPage(1, 60)), pageOf(testPage(2, 60)), pageOf(testPage(3, 60))] });
  rig.runUntil(() => a.journal.length > 0);
  assert.is(a.journal[0].result, 'ok', why(a));
  assert.is(a.journal[0].pages, 3);
  assert.is(far.result.pages, 3);
  assert.match(a.trace().join('\n'), /<- RTP[\s\S]*-> DCS[\s\S]*-> page 2[\s\S]*<- PIP[\s\S]*-> DCS[\s\S]*-> page 3/);
});

test('the first MCF is lost: the sender times out, repeats MPS (no +FTS after the aborted receive), the receiver repeats MCF', () => {
  let mcfs = 0;
  const { a, b, pages } = pair({ corruptFrames: (f) => f.fcf === 0x8c && mcfs++ === 0 }, { pages: 2 });
  assert.is(a.journal[0]?.result, 'ok', why(a, b));
  assert.is(b.journal[0].result, 'ok');
  assert.equal([a.journal[0].pages, b.journal[0].pages], [2, 2]);
  assert.match(a.trace().join('\n'), /-> MPS[\s\S]*-> MPS/);
  assert.equal(b.stored.map((s) => s.confirmed), [true, true], 'the repeated MPS does not count page 1 twice');
  assert.is(confirmedPagesExact(b, pages), 2);
});

test('the first PPS answer is lost with ECM: PPS again, MCF again, the block is not delivered twice', () => {
  let mcfs = 0;
  const { a, b, pages } = pair({ corruptFrames: (f) => f.fcf === 0x8c && mcfs++ === 0 }, { ecm: true, pages: 2 });
  assert.is(a.journal[0]?.result, 'ok', why(a, b));
  assert.equal([a.journal[0].pages, b.journal[0].pages], [2, 2]);
  assert.is(confirmedPagesExact(b, pages), 2);
});

test('ECM receive in bounded memory (4-frame window): frames beyond it are asked for again, pages exact', () => {
  const { a, b, pages } = pair({ bitErrorRate: 2e-5, seed: 'ecm' }, { ecm: true, pages: 2, rx: { ecmRxWindow: 4 }, tx: { ecmBlockFrames: 32 } });
  assert.is(a.journal[0]?.result, 'ok', why(a, b));
  assert.match(b.trace().join('\n'), /beyond the window/);
  assert.is(confirmedPagesExact(b, pages), 2);
});

test('training fails at every rate but 2400: the ladder goes all the way down to V.27ter 2400', () => {
  const rig = new SimRig();
  const a = rig.station('100', { caps: { ecm: false } });
  const far = rig.line.attachRemote('300', { role: 'receive', failTraining: 6 });
  rig.runUntil(() => a.fax.ready, 5000);
  a.fax.send({ number: '300', pages: [pageOf(testPage(3, 60))] });
  rig.runUntil(() => a.journal.length > 0);
  assert.is(a.journal[0].result, 'ok', why(a));
  assert.is(a.journal[0].rate, 2400);
  assert.is(far.result.pages, 1);
  assert.is((a.trace().join('\n').match(/<- FTT/g) || []).length, 6);
});

test('training fails at every rate: the call ends training-failed with DCN', () => {
  const rig = new SimRig();
  const a = rig.station('100', { caps: { ecm: false } });
  rig.line.attachRemote('300', { role: 'receive', failTraining: 99 });
  rig.runUntil(() => a.fax.ready, 5000);
  a.fax.send({ number: '300', pages: [pageOf(testPage(3, 60))] });
  rig.runUntil(() => a.journal.length > 0);
  assert.is(a.journal[0].result, 'training-failed', why(a));
  assert.match(a.journal[0].reason, /down to 2400/);
  assert.match(a.trace().join('\n'), /-> DCN/);
});

test('the DTE stalls mid-page (modem underrun fills the line with zeros): the damage is never silent', () => {
  // default policy: a few concealed lines are accepted, and said so in the journal
  const lenient = pair({}, { pages: 1, tx: { modem: { stalls: [{ at: 13600, ms: 1500 }] } } });
  assert.is(lenient.a.journal[0]?.result, 'ok', why(lenient.a, lenient.b));
  const kept = lenient.b.stored.filter((s) => s.confirmed);
  assert.is(kept.length, 1);
  assert.ok(kept[0].quality.badLines > 0, 'the zero fill broke some lines');
  assert.match(lenient.b.journal[0].reason, /received 1 page\(s\); \d+ damaged line\(s\) concealed on page\(s\) 1/);
  // a strict policy (no bad line accepted): RTN, the page is sent again and arrives exact
  const strict = pair({}, { pages: 1, tx: { modem: { stalls: [{ at: 13600, ms: 1500 }] } }, rx: { policy: { maxBadPercent: 0, maxBadRun: 0 } } });
  assert.is(strict.a.journal[0]?.result, 'ok', why(strict.a, strict.b));
  assert.match(strict.a.trace().join('\n'), /<- RTN/);
  assert.equal(strict.b.stored.map((s) => s.confirmed), [false, true]);
  assert.is(confirmedPagesExact(strict.b, strict.pages), 1);
  assert.is(strict.b.journal[0].reason, 'received 1 page(s)');
});

test('the sink refuses the call at DCS (unknown subaddress): DCN before training, nothing stored', () => {
  const rig = new SimRig();
  const a = rig.station('100', { caps: { ecm: false } });
  const b = rig.station('200', { caps: { ecm: false }, onlySub: '12' });
  rig.runUntil(() => a.fax.ready && b.fax.ready, 5000);
  a.fax.send({ number: '200', pages: [pageOf(testPage(1, 50))], sub: '99' });
  rig.runUntil(() => a.journal.length > 0 && b.journal.length > 0);
  assert.equal([b.journal[0].result, b.journal[0].reason], ['refused', 'call refused: unknown subaddress 99'], why(a, b));
  assert.is.not(a.journal[0].result, 'ok'); // it was sending TCF when the DCN went out: the line just drops
  assert.is(a.journal[0].pages, 0);
  assert.is(b.stored.length, 0);
  assert.not.match(b.trace().join('\n'), /R_TCF/, 'the receiver did not even train');
  assert.match(b.trace().join('\n'), /<- DCS[\s\S]*-> DCN/);
});

test('the sink refuses a page with its own reason: result refused, not memory-full', () => {
  const { a, b } = pair({}, { pages: 1, rx: { refuseWith: 'wrong password' } });
  assert.equal([b.journal[0]?.result, b.journal[0]?.reason], ['refused', 'page 1 refused: wrong password'], why(a, b));
  assert.is(a.journal[0].pages, 0);
});

test('after an ECM call broken mid-page, the next call starts its document from page 1, block 0', () => {
  const rig = new SimRig({ faults: { dropInPage: { page: 1, afterBytes: 600 } } });
  const a = rig.station('100', {});
  const b = rig.station('200', {});
  rig.runUntil(() => a.fax.ready && b.fax.ready, 5000);
  const first = [testPage(1, 150), testPage(2, 150)];
  const second = [testPage(3, 100)];
  a.fax.send({ number: '200', pages: first.map((p) => pageOf(p)) });
  rig.runUntil(() => a.journal.length > 0 && b.journal.length > 0);
  assert.is.not(a.journal[0].result, 'ok', why(a, b));
  a.fax.send({ number: '200', pages: second.map((p) => pageOf(p)) });
  rig.runUntil(() => a.journal.length > 1 && b.journal.length > 1);
  assert.is(a.journal[1].result, 'ok', why(a, b));
  const kept = b.stored.filter((s) => s.confirmed);
  assert.is(kept.length, 1);
  assert.is(sameBitmap(second[0], decode(kept[0].data, 'MMR').bitmap), null);
});

test('a page the store cannot commit at pageEnd is refused with DCN, never confirmed with MCF', () => {
  // as the mailbox's ReceptionSink when the store cannot commit page 2: pageEnd(true) answers a full Refusal
  const rig = new SimRig();
  const a = rig.station('100', { caps: { ecm: false } });
  const b = rig.station('200', { caps: { ecm: false } });
  const sink = (b.fax as any).opts.sink;
  const orig = sink.pageEnd;
  sink.pageEnd = (confirmed: boolean, q: any) => {
    const no = orig(confirmed, q);
    return confirmed && b.stored.length === 2 ? { full: true, reason: 'memory full' } : no;
  };
  rig.runUntil(() => a.fax.ready && b.fax.ready, 5000);
  a.fax.send({ number: '200', pages: [pageOf(testPage(1, 60)), pageOf(testPage(2, 60)), pageOf(testPage(3, 60))] });
  rig.runUntil(() => a.journal.length > 0 && b.journal.length > 0);
  assert.is(b.journal[0].result, 'memory-full', why(a, b));
  assert.is(b.journal[0].pages, 1);
  assert.is(a.journal[0].pages, 1, 'the sender got MCF for page 1 only');
});

test('a sink that throws while page data streams in: the page is refused, the driver carries on, both calls end', () => {
  const rig = new SimRig();
  const a = rig.station('100', { caps: { ecm: false } });
  const b = rig.station('200', { caps: { ecm: false } });
  const sink = (b.fax as any).opts.sink;
  sink.pageData = () => {
    throw new Error('disk on fire');
  };
  rig.runUntil(() => a.fax.ready && b.fax.ready, 5000);
  a.fax.send({ number: '200', pages: [pageOf(testPage(1, 60))] });
  rig.runUntil(() => a.journal.length > 0 && b.journal.length > 0);
  assert.equal([b.journal[0].result, b.journal[0].reason], ['refused', 'page 1 refused: internal error: disk on fire'], why(a, b));
  assert.is(b.kernel.faults.length, 0, 'no kernel fault');
  assert.is(a.journal[0].pages, 0);
});

test('a fault inside the session mid-call: restarted, the modem hung up, the call journaled, the next call works', () => {
  const rig = new SimRig();
  const a = rig.station('100', { caps: { ecm: false } });
  const b = rig.station('200', { caps: { ecm: false }, faultPolicy: 'restart-object' });
  const sink = (b.fax as any).opts.sink;
  const orig = sink.pageEnd;
  let once = true;
  sink.pageEnd = (c: boolean, q: any) => {
    if (once) {
      once = false;
      throw new Error('bug in the store');
    }
    return orig(c, q);
  };
  rig.runUntil(() => a.fax.ready && b.fax.ready, 5000);
  a.fax.send({ number: '200', pages: [pageOf(testPage(1, 60))] });
  rig.runUntil(() => a.journal.length > 0 && b.journal.length > 0);
  assert.is(b.kernel.faults.length, 1, why(a, b));
  assert.match(b.kernel.faults[0].what, /bug in the store/);
  assert.equal([b.journal[0].result, b.journal[0].reason], ['modem-error', 'internal fault in R_WAIT_CMD: call abandoned']);
  assert.is.not(a.journal[0].result, 'ok');
  rig.runUntil(() => b.fax.state.name === 'IDLE' && a.fax.state.name === 'IDLE', 60000);
  a.fax.send({ number: '200', pages: [pageOf(testPage(2, 60))] });
  rig.runUntil(() => a.journal.length > 1 && b.journal.length > 1);
  assert.is(a.journal[1].result, 'ok', why(a, b));
  assert.is(b.journal[1].result, 'ok');
});

test.run();
