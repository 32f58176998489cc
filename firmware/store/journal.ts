// Journal entries: one JSON object per store journal record, `t` (calendar ms) and `kind`
// first. Kinds used so far: call {dir rx|tx, remote, pages, result, sub, box, doc, dur},
// code {box, src panel|lan, result ok|wrong|locked|no box}, refused {sub, reason} (a call the
// mailbox refused), print {doc, pages, result}, delete {doc, box}.
import type { Store } from './store.ts';
import { asciiJson } from './layout.ts';

export interface JournalEntry {
  t: number;
  kind: string;
  [field: string]: unknown;
}

export function journalAdd(store: Store, entry: JournalEntry): boolean {
  return store.addJournal(asciiJson(entry));
}

/** Oldest first; a damaged or foreign entry comes back as kind 'text'. */
export function journalEntries(store: Store): JournalEntry[] {
  const raw = store.journal();
  const out: JournalEntry[] = [];
  for (let i = 0; i < raw.length; i++) {
    let e: JournalEntry | null = null;
    try {
      e = JSON.parse(raw[i].text) as JournalEntry;
    } catch (x) {
      e = null;
    }
    if (!e || typeof e !== 'object' || typeof e.kind !== 'string') e = { t: 0, kind: 'text', text: raw[i].text };
    out.push(e);
  }
  return out;
}
