import { summarizeNote, type Note, type NoteKind } from '../state/notes.js';
import type { AppContext } from './context.js';
import { empty, h, panel } from './dom.js';

export interface NotesPanel {
  element: HTMLElement;
  /** Reads the notes again, as of the point shown. */
  refresh(): Promise<void>;
}

const EMPTY: Record<NoteKind, string> = {
  decisions: 'No decision recorded yet. Review decisions and tier changes the session explains appear here.',
  reviews: 'No review yet.',
  recovery: 'No recovery action yet. When an agent hits a permission or trust error, what was tried appears here.',
};

// A panel listing the session's notes of one kind: the live session's (GET /api/<kind>), or a replay's up to its point.
export function createNotesPanel(context: AppContext, kind: NoteKind, title: string, extra?: HTMLElement): NotesPanel {
  const list = h('ol', { class: 'notes' });
  const placeholder = empty(EMPTY[kind]);
  const body = h('div', { class: 'panel-body' }, ...(extra ? [extra] : []), placeholder, list);
  let shown = '';
  const draw = (notes: Note[]) => {
    const key = notes.map((n) => n.id).join(',');
    if (key === shown) return;
    shown = key;
    placeholder.hidden = notes.length > 0;
    list.replaceChildren(...notes.slice(-50).reverse().map(toItem));
  };
  return {
    element: panel(title, body, { 'data-testid': `notes-${kind}` }),
    async refresh() {
      // Unreadable (offline): the socket's badge already says so, and the last list stays.
      const notes = await context.readNotes(kind);
      if (notes) draw(notes);
    },
  };
}

function toItem(note: Note): HTMLElement {
  return h(
    'li',
    { class: 'note' },
    h('details', {}, h('summary', {}, h('span', { class: 'note-seq' }, `#${note.seq}`), ' ', summarizeNote(note.body)), h('pre', { class: 'json' }, JSON.stringify(note.body, null, 2))),
  );
}
