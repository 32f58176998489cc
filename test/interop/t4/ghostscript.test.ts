// Real documents rendered into fax pages by ghostscript (tiffg3, tiffg32d, tiffg4 devices, at
// standard and fine resolution, A4, B4 and A3 widths, both fill orders) decode in faxvault to exactly the pixels
// libtiff decodes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { readTiff } from '../../../host/image/tiff.ts';
import { firstDifferentRow } from '../../../host/image/bitmap.ts';
import { tempDir, run } from './tools.ts';

const tmp = tempDir();

/** A two-page PostScript document: text in several fonts and sizes, rules, a circle, a grey fill. */
function document(): string {
  const lines: string[] = ['%!PS'];
  const fonts = ['Times-Roman', 'Helvetica', 'Courier', 'Helvetica-Bold', 'Times-Italic'];
  let y = 760;
  for (let i = 0; i < 34; i++) {
    lines.push(`/${fonts[i % fonts.length]} findfont ${8 + (i % 7) * 2} scalefont setfont`);
    lines.push(`40 ${y} moveto (Line ${i}: confidential fax for box ${i * 7 % 100}, the quick brown fox jumps over the lazy dog.) show`);
    y -= 12 + (i % 7) * 2;
    if (y < 60) break;
  }
  lines.push('1 setlinewidth 40 50 moveto 560 50 lineto stroke');
  lines.push('newpath 450 300 80 0 360 arc 0.5 setgray fill 0 setgray');
  lines.push('showpage');
  lines.push('/Courier findfont 9 scalefont setfont');
  for (let i = 0; i < 60; i++) lines.push(`${30 + (i % 3) * 5} ${780 - i * 12} moveto (${'0123456789ABCDEF'.repeat(4).slice(i % 16, i % 16 + 48)}) show`);
  lines.push('0.1 setlinewidth 0 1 50 { dup 10 mul 60 add 100 moveto 0 100 rlineto stroke pop } for');
  lines.push('showpage');
  return lines.join('\n') + '\n';
}

test('ghostscript tiffg3/tiffg32d/tiffg4 pages: faxvault pixels = libtiff pixels', () => {
  const ps = tmp.path('doc.ps');
  writeFileSync(ps, document());
  let checked = 0;
  for (const device of ['tiffg3', 'tiffg32d', 'tiffg4']) for (const res of ['204x98', '204x196']) {
    for (const paper of ['a4', 'b4', 'a3']) { // 1728, 2048 and 2386 pixels wide
      const f = tmp.path(`${device}-${res}-${paper}.tif`);
      run('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', `-sDEVICE=${device}`, `-r${res}`, `-sPAPERSIZE=${paper}`,
        `-sOutputFile=${f}`].concat(paper === 'b4' ? ['-dFillOrder=2'] : [], [ps]), undefined, false);
      const mine = readTiff(readFileSync(f));
      const plain = tmp.path('plain.tif');
      run('tiffcp', ['-c', 'none', f, plain]);
      const theirs = readTiff(readFileSync(plain));
      assert.is(mine.length, 2, `${device} ${res} ${paper}: two pages`);
      assert.is(theirs.length, 2);
      for (let i = 0; i < 2; i++) {
        const where = `${device} ${res} ${paper} page ${i + 1}`;
        assert.is(mine[i].info.coding, device === 'tiffg3' ? 'mh' : device === 'tiffg32d' ? 'mr' : 'mmr', where);
        assert.is(mine[i].info.badLines, 0, where);
        assert.is(mine[i].info.missingRows, 0, where);
        assert.is(firstDifferentRow(theirs[i], mine[i]), -1, where);
        // The page is not blank: the document really was rendered.
        let black = 0;
        for (const v of mine[i].data) if (v) black++;
        assert.ok(black > 1000, where + ': black bytes ' + black);
        checked++;
      }
    }
  }
  assert.is(checked, 36);
});

test.after(() => tmp.cleanup());
test.run();
