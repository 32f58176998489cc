// The report font: 5×7 pixel glyphs for printable ASCII (0x20–0x7E), drawn for this project
// (the drawing is test/firmware/print/font-art.ts; font.test.ts checks this table against it).
// Packed for the device bundle: seven base-32 digits per glyph, one per row, bit 4 = leftmost
// pixel. Unknown characters print as '?'.

export const GLYPH_W = 5;
export const GLYPH_H = 7;
/** Rows below the baseline: g, j, p, q and y reach into them (a 7-row body alone printed 'pa9e'). */
export const DESCENT = 2;

/** The letters with descenders, drawn over GLYPH_H + DESCENT rows (same packing, nine digits each). */
const DESCENDER_CHARS = 'gjpqy';
const DESCENDER_PACKED = '00fhhhf1e2062222ic00uhhhugg00fhhhf1100hhhhf1e';

const PACKED =
  '00000004444404aaa0000aavavaa4fke5u4op248j3cik8lid448000024888428422248' +
  '04lel40044v4400000c48000v00000000cc01248g0ehjlphe4c4444eeh1248vv2421he' +
  '26aiv22vgu11he68guhhev124888ehhehheehhf12c0cc0cc00cc0c48248g84200v0v00' +
  '8421248eh12404eh1dlleehhvhhhuhhuhhuehggghesihhhisvgguggvvggugggehgnhhf' +
  'hhhvhhhe44444e72222ichikokihggggggvhrllhhhhhpljhhehhhhheuhhugggehhhlid' +
  'uhhukihfgge11uv444444hhhhhhehhhhha4hhhlllahha4ahhhha4444v1248gve88888e' +
  '0g84210e22222e4ah0000000000v842000000e1fhfggmphhu00egghe11djhhf00ehvge' +
  '698s8880fhhf1eggmphhh40c444e20622icggikokic44444e00qllhh00mphhh00ehhhe' +
  '00uhugg00djf1100mpggg00ege1u88s889600hhhjd00hhha400hhlla00ha4ah00hhf1e' +
  '00v248v244844244444448442448008l200';

let table: Uint8Array | null = null;

function build(): Uint8Array {
  const t = new Uint8Array(PACKED.length);
  for (let i = 0; i < PACKED.length; i++) t[i] = parseInt(PACKED.charAt(i), 32);
  return t;
}

/** Row `y` (0..GLYPH_H + DESCENT - 1) of the glyph for character code `c`, 5 bits, bit 4 = leftmost pixel. */
export function glyphRow(c: number, y: number): number {
  if (!table) table = build();
  if (c < 0x20 || c > 0x7e) c = 0x3f;
  const d = DESCENDER_CHARS.indexOf(String.fromCharCode(c));
  if (d >= 0) return parseInt(DESCENDER_PACKED.charAt(d * (GLYPH_H + DESCENT) + y), 32) || 0;
  return y < GLYPH_H ? table[(c - 0x20) * GLYPH_H + y] : 0;
}

export function glyphCount(): number {
  return PACKED.length / GLYPH_H;
}
