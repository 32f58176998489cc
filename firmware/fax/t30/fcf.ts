// T.30 facsimile control fields (T.30 §5.3.6, Table 5), as octets with bit 1 in the LSB (the
// order a Class 1 modem hands them over). Bit 1 of most FCFs is the X bit: 1 in frames from
// the station that received a valid DIS (§5.3.6.1). DIS/CSI/NSF and DTC/CIG/NSC differ only in
// that bit, so they are named by the whole octet; every other FCF is named with X masked.

export const DIS = 0x80;
export const CSI = 0x40;
export const NSF = 0x20;
export const DTC = 0x81;
export const CIG = 0x41;
export const NSC = 0x21;
export const PWD_POLL = 0xc1;
export const SEP = 0xa1;

export const DCS = 0x82;
export const TSI = 0x42;
export const NSS = 0x22;
export const SUB = 0xc2;
export const SID = 0xa2;

export const CFR = 0x84;
export const FTT = 0x44;
export const CTR = 0xc4;

export const EOM = 0x8e;
export const MPS = 0x4e;
export const EOP = 0x2e;
export const PRI_EOM = 0x9e;
export const PRI_MPS = 0x5e;
export const PRI_EOP = 0x3e;
export const PPS = 0xbe;
export const EOR = 0xce;
export const RR = 0x76;
export const CTC = 0x12;

export const MCF = 0x8c;
export const RTP = 0xcc;
export const RTN = 0x4c;
export const PIP = 0xac;
export const PIN = 0x2c;
export const PPR = 0xbc;
export const RNR = 0xec;
export const ERR = 0x1c;

export const DCN = 0xfa;
export const CRP = 0x1a;

/** ECM frames inside the high-speed data (T.30 Annex A.3.6): no X bit. */
export const FCD = 0x06;
export const RCP = 0x86;

/** PPS with no post-message command: more blocks of this page follow (T.30 Annex A). */
export const NULL_FCF = 0x00;

const WHOLE: { [fcf: number]: string } = {
  0x80: 'DIS', 0x40: 'CSI', 0x20: 'NSF', 0x81: 'DTC', 0x41: 'CIG', 0x21: 'NSC', 0xc1: 'PWD', 0xa1: 'SEP',
  0x06: 'FCD', 0x86: 'RCP', 0x07: 'FCD', 0x87: 'RCP',
};
const MASKED: { [fcf: number]: string } = {
  0x82: 'DCS', 0x42: 'TSI', 0x22: 'NSS', 0xc2: 'SUB', 0xa2: 'SID',
  0x84: 'CFR', 0x44: 'FTT', 0xc4: 'CTR',
  0x8e: 'EOM', 0x4e: 'MPS', 0x2e: 'EOP', 0x9e: 'PRI-EOM', 0x5e: 'PRI-MPS', 0x3e: 'PRI-EOP',
  0xbe: 'PPS', 0xce: 'EOR', 0x76: 'RR', 0x12: 'CTC',
  0x8c: 'MCF', 0xcc: 'RTP', 0x4c: 'RTN', 0xac: 'PIP', 0x2c: 'PIN', 0xbc: 'PPR', 0xec: 'RNR', 0x1c: 'ERR',
  0xfa: 'DCN', 0x1a: 'CRP', 0x00: 'NULL',
};

/** The FCF with the X bit cleared, except for the DIS/DTC group where the bit is the meaning. */
export function fcfKind(fcf: number): number {
  if (WHOLE[fcf] !== undefined) return fcf;
  return fcf & 0xfe;
}

export function fcfName(fcf: number): string {
  const w = WHOLE[fcf];
  if (w !== undefined) return w;
  const m = MASKED[fcf & 0xfe];
  if (m !== undefined) return m;
  return 'FCF-0x' + (fcf < 16 ? '0' : '') + fcf.toString(16);
}
