// `npm run bench`: every bench/<concern>.ts in turn. Each measures against a reference taken in
// the same run (libtiff, SpanDSP, efax, the device variable budget) and prints ratios.
//   npm run bench -- NAME…   only those benches
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here).filter((f) => f.endsWith('.ts') && f !== 'run.ts').sort();
let failed = 0;
for (const f of files) {
  const name = f.replace(/\.ts$/, '');
  if (only.length && !only.includes(name)) continue;
  console.log(`\n## ${name}`);
  try {
    const mod = await import(pathToFileURL(join(here, f)).href);
    await mod.default();
  } catch (e) {
    failed++;
    console.log(`bench ${name} failed: ${(e as Error).stack ?? e}`);
  }
}
process.exitCode = failed ? 1 : 0;
