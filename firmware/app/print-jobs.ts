// The appliance's print jobs made by the print module (print-module.ts), held while the spooler
// has work and released when it is idle again, so on the board the decoding and the report font
// cost variables only while something prints.
import type { Store } from '../store/index.ts';
import type { PrintJobMaker } from '../print/spooler.ts';
import type { DocJobOptions, PrintJob } from '../print/jobs.ts';
import { loadModule, releaseModule } from './modules.ts';

export function lazyPrintJobs(): PrintJobMaker {
  /** The print module's maker while held. */
  let held: PrintJobMaker | null = null;
  function maker(): PrintJobMaker {
    if (!held) held = loadModule('print').PRINT_JOBS;
    return held;
  }
  return {
    document: function (store: Store, id: number, opts: DocJobOptions): PrintJob {
      return maker().document(store, id, opts);
    },
    report: function (name: string, lines: string[], onDone: ((ok: boolean) => void) | null): PrintJob {
      return maker().report(name, lines, onDone);
    },
    idle: function () {
      if (!held) return;
      held = null;
      releaseModule('print');
    },
  };
}
