// The code words of ITU-T T.4 (one-dimensional run lengths, two-dimensional modes), written as
// bit strings so they can be read against the standard's tables. Both the encoder tables
// and the decoder lookup tables (tables.ts) are built from these lists.

/** The code word lists of T.4, as bit strings (index meanings on each list). */
export interface CodeLists {
  whiteTerm: string[];
  blackTerm: string[];
  whiteMakeup: string[];
  blackMakeup: string[];
  commonMakeup: string[];
  modeCodes: string[];
}

/**
 * The lists, made each time tables are built (tables.ts: once for the encoder, once for the
 * decoder). Not constants: on the interpreter ~200 short strings in arrays hold ~510 variables,
 * and only the tables built from them are needed afterwards.
 */
export function codeLists(): CodeLists {
  return {
    /** Terminating codes for white runs 0..63 (T.4 Table 1/T.4, white column), index = run length. */
    whiteTerm: [
      '00110101', '000111', '0111', '1000', '1011', '1100', '1110', '1111',
      '10011', '10100', '00111', '01000', '001000', '000011', '110100', '110101',
      '101010', '101011', '0100111', '0001100', '0001000', '0010111', '0000011', '0000100',
      '0101000', '0101011', '0010011', '0100100', '0011000', '00000010', '00000011', '00011010',
      '00011011', '00010010', '00010011', '00010100', '00010101', '00010110', '00010111', '00101000',
      '00101001', '00101010', '00101011', '00101100', '00101101', '00000100', '00000101', '00001010',
      '00001011', '01010010', '01010011', '01010100', '01010101', '00100100', '00100101', '01011000',
      '01011001', '01011010', '01011011', '01001010', '01001011', '00110010', '00110011', '00110100',
    ],
    /** Terminating codes for black runs 0..63 (T.4 Table 1/T.4, black column). */
    blackTerm: [
      '0000110111', '010', '11', '10', '011', '0011', '0010', '00011',
      '000101', '000100', '0000100', '0000101', '0000111', '00000100', '00000111', '000011000',
      '0000010111', '0000011000', '0000001000', '00001100111', '00001101000', '00001101100', '00000110111', '00000101000',
      '00000010111', '00000011000', '000011001010', '000011001011', '000011001100', '000011001101', '000001101000', '000001101001',
      '000001101010', '000001101011', '000011010010', '000011010011', '000011010100', '000011010101', '000011010110', '000011010111',
      '000001101100', '000001101101', '000011011010', '000011011011', '000001010100', '000001010101', '000001010110', '000001010111',
      '000001100100', '000001100101', '000001010010', '000001010011', '000000100100', '000000110111', '000000111000', '000000100111',
      '000000101000', '000001011000', '000001011001', '000000101011', '000000101100', '000001011010', '000001100110', '000001100111',
    ],
    /** Make-up codes for white runs 64..1728 in steps of 64 (T.4 Table 2/T.4); index i is run 64*(i+1). */
    whiteMakeup: [
      '11011', '10010', '010111', '0110111', '00110110', '00110111', '01100100', '01100101',
      '01101000', '01100111', '011001100', '011001101', '011010010', '011010011', '011010100', '011010101',
      '011010110', '011010111', '011011000', '011011001', '011011010', '011011011', '010011000', '010011001',
      '010011010', '011000', '010011011',
    ],
    /** Make-up codes for black runs 64..1728 (T.4 Table 2/T.4, black column). */
    blackMakeup: [
      '0000001111', '000011001000', '000011001001', '000001011011', '000000110011', '000000110100', '000000110101', '0000001101100',
      '0000001101101', '0000001001010', '0000001001011', '0000001001100', '0000001001101', '0000001110010', '0000001110011', '0000001110100',
      '0000001110101', '0000001110110', '0000001110111', '0000001010010', '0000001010011', '0000001010100', '0000001010101', '0000001011010',
      '0000001011011', '0000001100100', '0000001100101',
    ],
    /** Make-up codes common to both colours for runs 1792..2560 (T.4 Table 3/T.4, wide pages B4/A3). */
    commonMakeup: [
      '00000001000', '00000001100', '00000001101', '000000010010', '000000010011', '000000010100', '000000010101',
      '000000010110', '000000010111', '000000011100', '000000011101', '000000011110', '000000011111',
    ],
    /** Mode code words, index = mode number above. */
    modeCodes: ['0001', '001', '1', '011', '000011', '0000011', '010', '000010', '0000010', '0000001'],
  };
}

/** End of line (T.4 §4.1.2): eleven zeros and a one. */
export const EOL = '000000000001';

// Two-dimensional mode codes (T.4 Table 4/T.4). Mode numbers used across the codec:
export const MODE_PASS = 0;
export const MODE_HORIZONTAL = 1;
export const MODE_V0 = 2;
export const MODE_VR1 = 3;
export const MODE_VR2 = 4;
export const MODE_VR3 = 5;
export const MODE_VL1 = 6;
export const MODE_VL2 = 7;
export const MODE_VL3 = 8;
/** 0000001xxx: extension (uncompressed mode, T.4 §4.2.1.3.4), not supported: the line is bad. */
export const MODE_EXTENSION = 9;

/** Offset a1 - b1 of each vertical mode, index = mode number (only the V modes are meaningful). */
export const VERTICAL_DELTA: number[] = [0, 0, 0, 1, 2, 3, -1, -2, -3, 0];

/** Longest run one make-up code can carry; longer runs repeat it (T.4 §4.1.1.1). */
export const MAX_MAKEUP = 2560;
