// The device build's registry of modules loaded on demand (replaces modules.ts there: see that
// file and build/lazy-modules.mjs). The loader is the packed bundle's (build/pack-device.mjs):
// __fvLoad evaluates a module's factory from flash the first time it is held, __fvRelease drops
// every module chunk no module still held needs.
import type { ModuleName, Modules } from './module-types.ts';

declare function __fvLoad(name: string): unknown;
declare function __fvRelease(name: string): void;

const held: { [name: string]: number } = {};

export function loadModule<K extends ModuleName>(name: K): Modules[K] {
  held[name] = (held[name] || 0) + 1;
  return __fvLoad(name) as Modules[K];
}

export function releaseModule(name: ModuleName): void {
  if (!held[name]) throw new Error('module ' + name + ' released more often than loaded');
  held[name]--;
  __fvRelease(name);
}

export function moduleHolds(name: ModuleName): number {
  return held[name] || 0;
}
