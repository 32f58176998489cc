// Rollup plugin of the device build: files of the host replaced by the board's.
//  - firmware/app/modules.ts (the host's registry, which imports every module) by
//    firmware/app/modules-device.ts (which loads them from the packed bundle on demand:
//    build/pack-device.mjs), so no module is reachable from the main entry;
//  - firmware/fax/t30/rx-decoder.ts (a decoder checks received pages) by rx-decoder-device.ts
//    (none: the board's line scan judges), so the decoder is not resident on the board.
import { fileURLToPath } from 'node:url';

const at = (p) => fileURLToPath(new URL('../' + p, import.meta.url));
const REPLACED = new Map([
  [at('firmware/app/modules.ts'), at('firmware/app/modules-device.ts')],
  [at('firmware/fax/t30/rx-decoder.ts'), at('firmware/fax/t30/rx-decoder-device.ts')],
]);

export default function lazyModules() {
  return {
    name: 'lazy-modules',
    async resolveId(source, importer, options) {
      if (!importer || !/(modules|rx-decoder)(\.ts)?$/.test(source)) return null;
      const r = await this.resolve(source, importer, { ...options, skipSelf: true });
      return (r && REPLACED.get(r.id)) || null;
    },
  };
}
