import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as F from '../../../../firmware/fax/t30/fcf.ts';
import { encodeIdent, decodeIdent, frameBytes, parseFrame, makeFrame, describeFrame } from '../../../../firmware/fax/t30/frame.ts';
import { encodeDis, decodeDis, encodeDcs, decodeDcs, ladderStep, LADDER, modulation, describeCaps, describeParams, type Caps } from '../../../../firmware/fax/t30/dis.ts';

const local: Caps = {
  v27: true, v29: true, v17: true, fine: true, mr: true, mmr: true, ecm: true, widths: 0, lengths: 1,
  minScanStd: 0, minScanFine: 0, sub: true, pwd: true, canReceive: true, canSend: false,
};

test('names: X bit masked except in the DIS/DTC group', () => {
  assert.is(F.fcfName(0x80), 'DIS');
  assert.is(F.fcfName(0x81), 'DTC');
  assert.is(F.fcfName(0x83), 'DCS');
  assert.is(F.fcfName(0x82), 'DCS');
  assert.is(F.fcfName(0x8d), 'MCF');
  assert.is(F.fcfName(0xfb), 'DCN');
  assert.is(F.fcfKind(0x4f), F.MPS);
});

test('idents go last character first, padded with spaces', () => {
  const b = encodeIdent('+49 30 5550100');
  assert.is(b.length, 20);
  assert.is(String.fromCharCode(b[19]), '+');
  assert.is(String.fromCharCode(b[0]), ' ');
  assert.is(decodeIdent(b), '+49 30 5550100');
});

test('frame bytes round-trip with the final bit', () => {
  const f = makeFrame(F.TSI | 1, encodeIdent('123'), false);
  const p = parseFrame(frameBytes(f), 23)!;
  assert.is(p.fcf, 0x43);
  assert.is(p.final, false);
  assert.is(describeFrame(p, () => ''), 'TSI "123"');
  assert.is(parseFrame(new Uint8Array([0xff, 0x13, 0x8c]), 3)!.final, true);
  assert.is(parseFrame(new Uint8Array([0x00, 0x13, 0x8c]), 3), null);
});

test('DIS: V.17 is bits 11,12,14; ECM/MMR/SUB/PWD set the extend bits', () => {
  const d = encodeDis(local);
  assert.is(d.length, 7);
  assert.is(d[1] & 0x2f, 0x2e); // bits 10, 11, 12, 14 (octet 2 holds bits 9..16)
  assert.ok(d[2] & 0x80 && d[3] & 0x80 && d[4] & 0x80 && d[5] & 0x80, 'extend bits 24..48');
  assert.is(d[6], 0x03);
  const c = decodeDis(d);
  assert.ok(c.v17 && c.v29 && c.fine && c.mr && c.mmr && c.ecm && c.sub && c.pwd && c.canReceive);
  assert.is(c.lengths, 1);
  assert.is(c.minScanStd, 0);
  assert.is(describeCaps(c), '14400 fine MH MR MMR ECM SUB PWD');
  const plain = encodeDis({ ...local, ecm: false, mmr: false, sub: false, pwd: false, v17: false });
  assert.is(plain.length, 3);
  assert.not.ok(decodeDis(plain).v17);
});

test('DCS rates match T.30 Table 2 for every ladder step', () => {
  const want: [number, boolean, number][] = [
    [14400, true, 0x20], [12000, true, 0x28], [9600, true, 0x24], [9600, false, 0x04],
    [7200, false, 0x0c], [4800, false, 0x08], [2400, false, 0x00],
  ];
  for (const [rate, v17, bits] of want) {
    const d = encodeDcs({ rate, v17, fine: false, coding: 'MH', ecm: false, frameSize: 256, width: 1728, length: 0, minScan: 20 });
    assert.is(d[1] & 0x3c, bits, `${rate} ${v17}`);
    const p = decodeDcs(d);
    assert.is(p.rate, rate);
    assert.is(p.v17, v17 && rate !== 14400 ? true : v17);
  }
  const p = decodeDcs(encodeDcs({ rate: 9600, v17: false, fine: true, coding: 'MMR', ecm: true, frameSize: 256, width: 1728, length: 1, minScan: 0 }));
  assert.equal([p.coding, p.ecm, p.fine, p.length, p.minScan], ['MMR', true, true, 1, 0]);
  assert.is(describeParams(p), '9600 V.29 fine MMR ECM');
});

test('the fallback ladder skips what either end lacks', () => {
  const v29only = decodeDis(encodeDis({ ...local, v17: false }));
  assert.is(LADDER[ladderStep(local, v29only, 0)].rate, 9600);
  assert.is(LADDER[ladderStep(local, v29only, 0)].v17, false);
  const v27 = decodeDis(encodeDis({ ...local, v17: false, v29: false }));
  assert.is(LADDER[ladderStep(local, v27, 0)].rate, 4800);
  assert.is(ladderStep(local, v27, LADDER.length), -1);
  assert.is(modulation(14400, true), 145);
  assert.is(modulation(9600, false), 96);
  assert.is(modulation(4800, false), 48);
});

test('NSF is named with its T.35 country code and length, nothing more', () => {
  // 0xB5 (USA) goes on the line bit-reversed: 0xAD
  const f = makeFrame(F.NSF, Uint8Array.from([0xad, 0x00, 0x42, 0x01]), false);
  assert.is(describeFrame(f, () => ''), 'NSF T.35 country 0xb5, 4 octets');
});

test.run();
