// Dense fax pages for the line tests and the bench, made by real tools at test time: a page of
// small typed text in the manner of a licence (PostScript rendered by ghostscript) and a
// photo-like page (a grey picture computed here, error-diffused to black and white by netpbm's
// pamditherbw). Both are 1728 pixels wide at fine resolution (204×196 dpi, 2292 rows: an A4
// page), the worst a Group 3 page gets in ordinary use: the text page codes to ~55–60 KB in MR,
// the photo to several times that.
import { spawnSync } from 'node:child_process';

export interface DensePage {
  width: number;
  height: number;
  /** Rows, MSB first, 1 = black, (width+7)>>3 octets each. */
  rows: Uint8Array;
}

const WORDS = ('licence software copyright holder permission granted distribute modify terms conditions ' +
  'warranty merchantability fitness particular purpose liability damages contract tort otherwise ' +
  'notice included copies substantial portions source object form derivative works contribution ' +
  'patent grant royalty free irrevocable worldwide non exclusive subject following redistribution ' +
  'binary documentation materials provided express implied limitation event arising connection').split(' ');

/** PostScript for `pages` pages of dense small text (10 pt Times, 14 pt leading, ~90 characters a line, 0.7 inch margins). */
export function licenceText(pages = 1, seed = 1): string {
  const out: string[] = ['%!PS'];
  let s = seed >>> 0;
  const rnd = (n: number) => {
    s = (s * 1103515245 + 12345) >>> 0;
    return (s >>> 16) % n;
  };
  for (let p = 0; p < pages; p++) {
    out.push('/Times-Roman findfont 10 scalefont setfont');
    let y = 780;
    let para = 0;
    while (y > 50) {
      let line = '';
      if (rnd(9) === 0) {
        para++;
        line = para + '. ';
      }
      while (line.length < 84) line += WORDS[rnd(WORDS.length)] + (rnd(7) === 0 ? ', ' : ' ');
      out.push(`50 ${y.toFixed(1)} moveto (${line.trim().toUpperCase().charAt(0) + line.trim().slice(1)}) show`);
      y -= 14;
    }
    out.push('showpage');
  }
  return out.join('\n') + '\n';
}

function run(cmd: string, args: string[], input?: Uint8Array): Buffer {
  const r = spawnSync(cmd, args, { input, maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${String(r.stderr).slice(0, 400)}`);
  return r.stdout;
}

/** Split a raw PBM (P4) stream of one or more images into pages. */
export function parsePbm(buf: Uint8Array): DensePage[] {
  const pages: DensePage[] = [];
  let i = 0;
  const token = (): string => {
    for (;;) {
      while (i < buf.length && /\s/.test(String.fromCharCode(buf[i]))) i++;
      if (buf[i] === 0x23) while (i < buf.length && buf[i] !== 0x0a) i++;
      else break;
    }
    let t = '';
    while (i < buf.length && !/\s/.test(String.fromCharCode(buf[i]))) t += String.fromCharCode(buf[i++]);
    return t;
  };
  while (i < buf.length) {
    const magic = token();
    if (magic === '') break;
    if (magic !== 'P4') throw new Error('not a raw PBM: ' + magic);
    const width = Number(token());
    const height = Number(token());
    i++; // the one whitespace octet before the raster
    const n = ((width + 7) >> 3) * height;
    pages.push({ width, height, rows: Uint8Array.from(buf.subarray(i, i + n)) });
    i += n;
  }
  return pages;
}

/** Dense text pages rendered by ghostscript (pbmraw, 204×196 dpi, 1728×2292). */
export function denseTextPages(pages = 1, seed = 1): DensePage[] {
  const ps = Buffer.from(licenceText(pages, seed));
  return parsePbm(run('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=pbmraw', '-r204x196', '-g1728x2292', '-sOutputFile=-', '-'], ps));
}

/**
 * A photo-like page: a grey picture (soft gradients, discs, a face-sized blob, fine texture)
 * computed here as a PGM and error-diffused by netpbm (`pamditherbw -floyd`, then `pamtopnm`), the densest kind
 * of page a fax carries. `height` rows (default a full fine A4 page).
 */
export function ditheredPhoto(height = 2292, width = 1728, seed = 7): DensePage {
  const grey = new Uint8Array(width * height);
  let s = seed >>> 0;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 16) / 65536;
  const discs = Array.from({ length: 9 }, () => ({ x: rnd() * width, y: rnd() * height, r: 80 + rnd() * 300, g: rnd() * 255 }));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 128 + 90 * Math.sin(x / 173 + y / 311) * Math.cos(y / 97 - x / 401);
      for (const d of discs) {
        const dd = Math.hypot(x - d.x, y - d.y);
        if (dd < d.r) v = v * 0.4 + d.g * 0.6 * (1 - dd / d.r) + v * 0.6 * (dd / d.r) * 0.5;
      }
      v += 20 * Math.sin(x * 0.9) * Math.sin(y * 1.3);
      grey[y * width + x] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  const header = Buffer.from(`P5\n${width} ${height}\n255\n`);
  const pgm = Buffer.concat([header, Buffer.from(grey)]);
  const pam = run('pamditherbw', ['-floyd', '-quiet'], pgm);
  return parsePbm(run('pamtopnm', ['-quiet'], pam))[0];
}
