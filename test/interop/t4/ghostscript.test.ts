// Real documents rendered into fax pages by ghostscript (tiffg3, tiffg32d, tiffg4 devices, at
// standard and fine resolution, A4, B4 and A3 widths, both fill orders) decode in faxvault to exactly the pixels
// libtiff decodes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { readTiff, writeTiff } from '../../../host/image/tiff.ts';
import { firstDifferentRow } from '../../../host/image/bitmap.ts';
import { tempDir, run } from './tools.ts';
import { faxTestDocument } from '../../../scripts/t4/document.ts';

const tmp = tempDir();

test('ghostscript tiffg3/tiffg32d/tiffg4 pages: faxvault pixels = libtiff pixels', () => {
  const ps = tmp.path('doc.ps');
  writeFileSync(ps, faxTestDocument(2));
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

test('superfine (204x391) ghostscript G4 pages, and gs pages re-coded by faxvault read back by libtiff', () => {
  const ps = tmp.path('doc2.ps');
  writeFileSync(ps, faxTestDocument(2));
  const f = tmp.path('superfine.tif');
  run('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=tiffg4', '-r204x391', '-sPAPERSIZE=a4', `-sOutputFile=${f}`, ps], undefined, false);
  const mine = readTiff(readFileSync(f));
  run('tiffcp', ['-c', 'none', f, tmp.path('sf-plain.tif')]);
  const theirs = readTiff(readFileSync(tmp.path('sf-plain.tif')));
  assert.is(mine[0].yDpi, 391);
  assert.ok(mine[0].height > 4000);
  for (let i = 0; i < 2; i++) assert.is(firstDifferentRow(theirs[i], mine[i]), -1, 'superfine page ' + (i + 1));
  for (const coding of ['mh', 'mr', 'mmr'] as const) {
    const out = tmp.path(`recoded-${coding}.tif`);
    writeFileSync(out, writeTiff(mine, { coding, fillOrder: 2 }));
    run('tiffinfo', ['-D', out]);
    run('tiffcp', ['-c', 'none', out, tmp.path('recoded-plain.tif')]);
    const back = readTiff(readFileSync(tmp.path('recoded-plain.tif')));
    for (let i = 0; i < 2; i++) assert.is(firstDifferentRow(mine[i], back[i]), -1, `re-coded ${coding} page ${i + 1}`);
  }
});

test.after(() => tmp.cleanup());
test.run();
