#!/usr/bin/env node
// Test setup: Debian's chromium for the web panel's browser test (test/interop/web), driven by
// playwright-core with executablePath /usr/bin/chromium (no browser download). `npm test`
// installs scripts/debian-packages.txt first; this step also stands alone (a test file run by
// itself on a fresh machine, as root): it installs the package when missing and checks that the
// browser starts. Fast when already done.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

function version() {
  const r = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

if (!existsSync(CHROMIUM)) {
  if (!process.getuid || process.getuid() !== 0) {
    console.error(`40-chromium: ${CHROMIUM} is missing: install the Debian package chromium (as root)`);
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  const r = spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error('40-chromium: apt-get install chromium failed');
    process.exit(1);
  }
}
const v = version();
if (!v) {
  console.error(`40-chromium: ${CHROMIUM} --version failed`);
  process.exit(1);
}
console.log(`40-chromium: ${v.split('\n')[0]}`);
