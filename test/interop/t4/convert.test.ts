// `faxvault convert` end to end, its outputs read back by libtiff and netpbm.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { readTiff, writeTiff } from '../../../host/image/tiff.ts';
import { readPbm, writePbm } from '../../../host/image/pbm.ts';
import { firstDifferentRow } from '../../../host/image/bitmap.ts';
import { toResolution, toWidth } from '../../../host/image/resample.ts';
import { makePage } from '../../../scripts/t4/patterns.ts';
import { tempDir, run } from './tools.ts';

const tmp = tempDir();

function convert(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/faxvault.js', 'convert', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

test('fine MMR TIFF -> standard MH TIFF: libtiff reads every page, pixels are every other line', () => {
  const pages = [makePage(1728, 100, 'text', 1, 196), makePage(1728, 51, 'mixed', 2, 196)];
  const src = tmp.path('in.tif');
  const out = tmp.path('out.tif');
  writeFileSync(src, writeTiff(pages, { coding: 'mmr' }));
  const r = convert(src, out, '--coding', 'mh', '--resolution', 'standard', '--fill-order', '2');
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /2 pages/);
  run('tiffinfo', ['-D', out]);
  run('tiffcp', ['-c', 'none', out, tmp.path('plain.tif')]);
  const theirs = readTiff(readFileSync(tmp.path('plain.tif')));
  assert.is(theirs.length, 2);
  theirs.forEach((t, i) => {
    assert.is(t.yDpi, 98);
    assert.is(t.height, Math.ceil(pages[i].height / 2));
    assert.is(firstDifferentRow(toResolution(pages[i], 98), t), -1);
  });
});

test('B4 (2048) -> A4 (1728) and PBM -> TIFF -> PNG read back by pngtopnm', () => {
  const wide = makePage(2048, 60, 'text', 3, 196);
  writeFileSync(tmp.path('wide.pbm'), writePbm([wide]));
  assert.is(convert(tmp.path('wide.pbm'), tmp.path('narrow.tif'), '--width', '1728', '--coding', 'mr').code, 0);
  const [narrow] = readTiff(readFileSync(tmp.path('narrow.tif')));
  assert.is(narrow.width, 1728);
  assert.is(firstDifferentRow(toWidth(wide, 1728), narrow), -1);
  assert.is(convert(tmp.path('narrow.tif'), tmp.path('page.png')).code, 0);
  const png = run('pngtopnm', [tmp.path('page.png')], undefined, false);
  // pngtopnm reads the pHYs chunk: 204 x 196 dpi pixels are not square.
  assert.match(png.stderr, /non-square pixels.*1\.04/);
  const pnm = readPbm(png.stdout)[0];
  assert.is(firstDifferentRow(narrow, pnm), -1);
  // Multi-page to PNG: one file per page, named as docs export names them.
  writeFileSync(tmp.path('two.pbm'), writePbm([wide, wide]));
  assert.is(convert(tmp.path('two.pbm'), tmp.path('p.png')).code, 0);
  assert.ok(existsSync(tmp.path('p-1.png')) && existsSync(tmp.path('p-2.png')) && !existsSync(tmp.path('p.png')));
  // An existing output is not replaced without --force.
  const again = convert(tmp.path('two.pbm'), tmp.path('p.png'));
  assert.is(again.code, 1);
  assert.match(again.err, /p-1\.png already exists; not overwriting it \(pass --force\)/);
  assert.is(convert(tmp.path('two.pbm'), tmp.path('p.png'), '--force').code, 0);
});

test('raw fax data out and in: g3topbm and fax2tiff read it, and it converts back', () => {
  const page = makePage(1728, 80, 'text', 5, 196);
  writeFileSync(tmp.path('src.pbm'), writePbm([page]));
  // MH, MSB first, for g3topbm.
  assert.is(convert(tmp.path('src.pbm'), tmp.path('page.g3'), '--bit-order', 'msb').code, 0);
  const g3 = readPbm(run('g3topbm', ['-stop_error', tmp.path('page.g3')]).stdout)[0];
  assert.is(firstDifferentRow(page, g3), -1);
  // MR on the wire (LSB first, 288-bit lines) for fax2tiff.
  assert.is(convert(tmp.path('src.pbm'), tmp.path('page.fax'), '--coding', 'mr', '--min-line-bits', '288').code, 0);
  run('fax2tiff', ['-3', '-2', '-L', '-X', '1728', '-u', '-o', tmp.path('f2t.tif'), tmp.path('page.fax')], undefined, false);
  const [f2t] = readTiff(readFileSync(tmp.path('f2t.tif')));
  assert.is(firstDifferentRow(page, { ...f2t, height: 80 }), -1);
  // And back through faxvault.
  assert.is(convert(tmp.path('page.fax'), tmp.path('back.pbm'), '--from', 'mr').code, 0);
  assert.is(firstDifferentRow(page, readPbm(readFileSync(tmp.path('back.pbm')))[0]), -1);
  // The wrong width: a page of bad lines is refused, not written as a blank page.
  const r = convert(tmp.path('page.fax'), tmp.path('x.pbm'), '--from-width', '2048');
  assert.is(r.code, 1);
  assert.match(r.err, /\d+ of \d+ lines do not decode as MH of 2048 pixels/);
  assert.not.ok(existsSync(tmp.path('x.pbm')));
  // Raw data is written at T.4 widths only: a 798-pixel page is centred on a 1728-pixel line,
  // and g3topbm (which assumes 1728) reads it back.
  const small = makePage(798, 40, 'text', 7, 196);
  writeFileSync(tmp.path('small.pbm'), writePbm([small]));
  const w = convert(tmp.path('small.pbm'), tmp.path('small.g3'), '--bit-order', 'msb');
  assert.is(w.code, 0);
  assert.match(w.err, /798-pixel lines centred to 1728/);
  const back = readPbm(run('g3topbm', ['-stop_error', tmp.path('small.g3')]).stdout)[0];
  assert.is(back.width, 1728);
  assert.is(firstDifferentRow(toWidth(small, 1728), back), -1);
});

test('clear errors for unreadable, unsupported and mistaken input', () => {
  writeFileSync(tmp.path('junk.tif'), 'hello');
  writeFileSync(tmp.path('ok.pbm'), writePbm([makePage(16, 2, 'text', 1)]));
  const cases: Array<[string[], RegExp]> = [
    [[tmp.path('ok.pbm'), tmp.path('x.gif')], /output format/],
    [[tmp.path('ok.pbm'), tmp.path('x.tif'), '--coding', 'jbig'], /--coding must be one of/],
    [[tmp.path('ok.pbm'), tmp.path('x.png'), '--coding', 'mh'], /apply to TIFF, raw fax and PDF output only/],
    [[tmp.path('ok.pbm'), tmp.path('x.png'), '--bit-order', 'lsb'], /raw fax output only/],
    [[tmp.path('ok.pbm'), tmp.path('x.g3'), '--coding', 'none'], /needs --coding mh, mr or mmr/],
    [[tmp.path('junk.tif'), tmp.path('x.tif'), '--from-width', '0'], /--from-width must be/],
    [[tmp.path('ok.pbm')], /needs IN and OUT/],
    [[tmp.path('ok.pbm'), tmp.path('x.tif'), '--width', 'wide'], /--width/],
  ];
  for (const [args, re] of cases) {
    const r = convert(...args);
    assert.is(r.code, 2, args.join(' '));
    assert.match(r.err, re);
    assert.not.match(r.err, /at .*\.ts:\d+/, 'no stack trace');
  }
  // Problems of the files themselves: exit 1, one line, nothing written.
  for (const [args, re] of [
    [[tmp.path('missing.tif'), tmp.path('x.tif')], /cannot read .*missing\.tif.*ENOENT/],
    [[tmp.path('junk.tif'), tmp.path('x.tif')], /neither a TIFF, a PBM nor a PNG/],
    [[tmp.path('ok.pbm'), '/nodir/x.tif'], /cannot write \/nodir\/x\.tif: no such folder/],
  ] as Array<[string[], RegExp]>) {
    const r = convert(...args);
    assert.is(r.code, 1, args.join(' '));
    assert.match(r.err, re);
    assert.is(r.err.trim().split('\n').length, 1);
    assert.not.ok(existsSync(tmp.path('x.tif')));
  }
  // PNG input (as sim --send takes it): netpbm's pnmtopng writes it, the pixels come through.
  const page = makePage(1728, 50, 'text', 9, 196);
  writeFileSync(tmp.path('n.pbm'), writePbm([page]));
  run('sh', ['-c', `pnmtopng ${tmp.path('n.pbm')} > ${tmp.path('n.png')}`]);
  assert.is(convert(tmp.path('n.png'), tmp.path('n.tif')).code, 0);
  assert.is(firstDifferentRow(page, readTiff(readFileSync(tmp.path('n.tif')))[0]), -1);
});

test.after(() => tmp.cleanup());
test.run();
