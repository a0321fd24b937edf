import { describeDecisionNote, describeReviewNote, summarizeNote, type Note, type NoteKind } from '../state/notes.js';
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
    list.replaceChildren(...notes.slice(-50).reverse().map(ITEMS[kind]));
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

const ITEMS: Record<NoteKind, (note: Note) => HTMLElement> = { reviews: reviewItem, decisions: decisionItem, recovery: genericItem };

function item(note: Note, title: string, ...detail: (HTMLElement | null)[]): HTMLElement {
  return h('li', { class: 'note', 'data-seq': note.seq }, h('details', {}, h('summary', {}, h('span', { class: 'note-seq' }, `#${note.seq}`), ' ', title), ...detail));
}

function genericItem(note: Note): HTMLElement {
  return item(note, summarizeNote(note.body), h('pre', { class: 'json' }, JSON.stringify(note.body, null, 2)));
}

function findingsList(findings: { severity: string; where: string; message: string; agent?: string }[]): HTMLElement | null {
  if (findings.length === 0) return null;
  return h('ul', { class: 'findings' }, ...findings.map((f) => h('li', { 'data-severity': f.severity }, `${f.severity}${f.where ? ` · ${f.where}` : ''} ${f.message}${f.agent ? ` (${f.agent})` : ''}`)));
}

// A review: each reviewer's verdict, summary and findings, then the exact diff it was shown.
function reviewItem(note: Note): HTMLElement {
  const review = describeReviewNote(note.body);
  return item(
    note,
    review.title,
    ...review.verdicts.map((v) => h('div', { class: 'verdict', 'data-verdict': v.outcome }, h('p', {}, h('strong', {}, `${v.agent}: ${v.outcome}`), v.summary ? ` · ${v.summary}` : ''), findingsList(v.findings))),
    h('p', { class: 'detail-label' }, `Diff reviewed${review.files.length ? ` (${review.files.join(', ')})` : ''}${review.diffTruncated ? ', cut short' : ''}`),
    h('pre', { class: 'diff' }, review.diff || '(no changes)'),
  );
}

// A decision: the action, the rule that fired, why, and what it sends back or shows a person.
function decisionItem(note: Note): HTMLElement {
  const decision = describeDecisionNote(note.body);
  return item(note, `${decision.warning ? '⚠ ' : ''}${decision.title}`, h('p', { class: 'decision-reason' }, decision.reason), findingsList(decision.findings), h('pre', { class: 'json' }, JSON.stringify(note.body, null, 2)));
}
