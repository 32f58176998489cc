// Known-answer checks of the fax line's table and framing code, run on the device itself:
// FCS-16 (the CRC-16/X-25 check value), HDLC bit stuffing round trip, identity octet order
// (T.30 §5.3.6.2.4), DIS/DCS bit positions (T.30 Table 2) and the fallback ladder.
import type { SelfCheck } from '../../selftest/selftest.ts';
import { fcs16, HdlcEncoder, HdlcDecoder, dropHdlcTables } from '../class1/hdlc.ts';
import { encodeIdent, decodeIdent } from './frame.ts';
import { encodeDis, decodeDis, encodeDcs, decodeDcs, ladderStep, LADDER } from './dis.ts';
import type { Caps } from './dis.ts';

function caps(v17: boolean, ecm: boolean): Caps {
  return {
    v27: true, v29: true, v17: v17, fine: true, mr: true, mmr: ecm, ecm: ecm, widths: 0, lengths: 1,
    minScanStd: 0, minScanFine: 0, sub: true, pwd: true, canReceive: true, canSend: false,
  };
}

export function faxLineChecks(): SelfCheck[] {
  return [
    {
      name: 'fax line: FCS-16 check value',
      run: function () {
        const s = '123456789';
        const b = new Uint8Array(s.length);
        for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
        const f = fcs16(b, 0, b.length);
        return f === 0x906e ? null : 'got 0x' + f.toString(16);
      },
    },
    {
      name: 'fax line: HDLC stuffing round trip',
      run: function () {
        const frame = new Uint8Array(40);
        for (let i = 0; i < frame.length; i++) frame[i] = i & 1 ? 0xff : 0x7e;
        const parts: Uint8Array[] = [];
        const e = new HdlcEncoder(function (c) {
          parts.push(c);
        }, 32);
        e.flags(3);
        e.frame(frame, 0, frame.length);
        e.flags(2);
        e.flush();
        let got: Uint8Array | null = null;
        let ok = false;
        const d = new HdlcDecoder(function (b, len, good) {
          got = new Uint8Array(len - 2);
          got.set(b.subarray(0, len - 2));
          ok = good;
        });
        for (let i = 0; i < parts.length; i++) d.push(parts[i]);
        dropHdlcTables(); // nothing of the self-test stays (its table is ~300 variables on a board)
        if (!got || !ok) return 'frame not recovered';
        const g = got as Uint8Array;
        if (g.length !== frame.length) return 'length ' + g.length;
        for (let i = 0; i < g.length; i++) if (g[i] !== frame[i]) return 'octet ' + i + ' differs';
        return null;
      },
    },
    {
      name: 'fax line: identity octet order',
      run: function () {
        const b = encodeIdent('+49 30 1234');
        if (b[19] !== 0x2b || b[0] !== 0x20) return 'not last-character-first';
        return decodeIdent(b) === '+49 30 1234' ? null : 'round trip';
      },
    },
    {
      name: 'fax line: DIS/DCS bits',
      run: function () {
        const d = encodeDis(caps(true, true));
        // octet 2 (bits 9-16): 10 ready to receive, 11+12+14 V.17, 15 fine, 16 MR
        if (d[1] !== 0xee) return 'DIS octet 2 is 0x' + d[1].toString(16);
        if (!decodeDis(d).ecm || !decodeDis(d).sub) return 'DIS ECM/SUB';
        const p = decodeDcs(encodeDcs({ rate: 7200, v17: false, fine: false, coding: 'MH', ecm: false, frameSize: 256, width: 1728, length: 0, minScan: 20 }));
        return p.rate === 7200 && !p.v17 ? null : 'DCS 7200 V.29 came back as ' + p.rate;
      },
    },
    {
      name: 'fax line: fallback ladder',
      run: function () {
        const i = ladderStep(caps(true, false), caps(false, false), 0);
        return LADDER[i].rate === 9600 && !LADDER[i].v17 ? null : 'V.29 peer starts at ' + LADDER[i].rate;
      },
    },
  ];
}
