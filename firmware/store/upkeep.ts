// Store upkeep in the background: while the line is quiet, compact one sector per event until
// the store has its comfortable number of free sectors again, so a reception rarely has to wait
// for a compaction in the middle of a page. Checks every UPKEEP_MS; one sector per event keeps
// each dispatch short (one erase, at most one sector copied).
import { Active, TimeEvt } from '../kernel/index.ts';
import type { State, Evt } from '../kernel/index.ts';
import type { Store } from './store.ts';

export const UPKEEP_MS = 5000;

export class StoreUpkeep extends Active {
  readonly timer: TimeEvt;
  /** Sectors compacted by upkeep since boot. */
  compacted = 0;

  constructor(prio: number, readonly store: Store, readonly busy: () => boolean) {
    super('store', prio, 4, UPKEEP);
    this.timer = new TimeEvt(this, 'UPKEEP');
  }
}

export const UPKEEP: State<StoreUpkeep> = {
  name: 'UPKEEP',
  on: function (me: StoreUpkeep, e: Evt) {
    if (e.sig === 'ENTRY') me.timer.arm(UPKEEP_MS, UPKEEP_MS);
    if (e.sig !== 'UPKEEP' && e.sig !== 'MORE') return;
    if (me.busy()) return;
    if (me.store.maintain()) {
      me.compacted++;
      me.post({ sig: 'MORE' });
    }
  },
};
