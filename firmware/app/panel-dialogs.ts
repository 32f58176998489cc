// The panel's dialogs entered through stand-ins (panel-module.ts holds the real states): a
// stand-in carries the dialog's name, and on entry loads the module and goes on to the dialog it
// stands for; when the panel is back at its idle screen the module is released, so on the board
// the dialogs' code costs variables only while someone is at the panel.
import type { Evt, State } from '../kernel/index.ts';
import type { Panel } from '../panel/index.ts';
import { loadModule, releaseModule } from './modules.ts';
import type { Modules } from './module-types.ts';

export type DialogName = Exclude<keyof Modules['panel'], '__esModule'>;

export class PanelDialogs {
  /** The dialogs module while held. */
  private mod: Modules['panel'] | null = null;

  constructor(readonly panel: Panel) {
    const self = this;
    panel.onIdle = function () {
      self.release();
    };
  }

  /** The state that stands for dialog `name` in the menu and the shortcuts. */
  dialog(name: DialogName): State<Panel> {
    const self = this;
    return {
      name: name,
      on: function (me: Panel, e: Evt) {
        if (e.sig === 'ENTRY') me.tran(self.states()[name] as State<Panel>);
      },
    };
  }

  states(): Modules['panel'] {
    if (!this.mod) this.mod = loadModule('panel');
    return this.mod;
  }

  release(): void {
    if (!this.mod) return;
    this.mod = null;
    releaseModule('panel');
  }
}
