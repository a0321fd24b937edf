import { readNotes, summarizeNote, type Note, type NoteKind } from '../state/notes.js';
import { empty, h, panel } from './dom.js';

export interface NotesPanel {
  element: HTMLElement;
  /** Reads the notes again from the read API. */
  refresh(): Promise<void>;
}

const EMPTY: Record<NoteKind, string> = {
  decisions: 'No decision recorded yet. Review decisions and tier changes the session explains appear here.',
  reviews: 'No review yet.',
  recovery: 'No recovery action yet. When an agent hits a permission or trust error, what was tried appears here.',
};

// A panel listing the session's notes of one kind (GET /api/<kind>, behind the same cookie as the socket).
export function createNotesPanel(kind: NoteKind, title: string, extra?: HTMLElement): NotesPanel {
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
      try {
        const response = await fetch(`/api/${kind}`, { credentials: 'same-origin', cache: 'no-store' });
        if (response.ok) draw(readNotes(kind, await response.json()));
      } catch {
        // Offline: the socket's badge already says so; the last list stays.
      }
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
