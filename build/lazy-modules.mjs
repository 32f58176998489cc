// Rollup plugin of the device build: firmware/app/modules.ts (the host's registry, which imports
// every module) is replaced by firmware/app/modules-device.ts (which loads them from the packed
// bundle on demand: build/pack-device.mjs), so no module is reachable from the main entry.
import { fileURLToPath } from 'node:url';

const HOST = fileURLToPath(new URL('../firmware/app/modules.ts', import.meta.url));
const DEVICE = fileURLToPath(new URL('../firmware/app/modules-device.ts', import.meta.url));

export default function lazyModules() {
  return {
    name: 'lazy-modules',
    async resolveId(source, importer, options) {
      if (!importer || !/modules(\.ts)?$/.test(source)) return null;
      const r = await this.resolve(source, importer, { ...options, skipSelf: true });
      return r && r.id === HOST ? DEVICE : null;
    },
  };
}
