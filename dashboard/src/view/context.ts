import type { ControlRequest } from '../../../src/protocol/index.js';
import type { DashboardState, Slice } from '../state/dashboard-state.js';
import type { Note, NoteKind } from '../state/notes.js';

/** What every view may use: the state shown (read only), and the few ways to act. */
export interface AppContext {
  /** The live session's state, or a replay's at the point it shows. */
  readonly state: DashboardState;
  /** 'replay' while a past session is played back: nothing can be commanded then. */
  readonly mode: 'live' | 'replay';
  /** The time the page shows: now, or the recorded time of the replayed point. */
  now(): number;
  /** Sends a command; its answer arrives in state.controls. */
  sendControl(request: ControlRequest): void;
  /** Opens the statechart view on an actor. */
  openChart(actorId: string): void;
  /** Whether commands can be sent now. */
  isOnline(): boolean;
  /** The session's notes of a kind as of the point shown; null when they could not be read. */
  readNotes(kind: NoteKind): Promise<Note[] | null>;
  /** Plays back a past session of the workspace; rejects with a message a person can read. */
  openReplay(sessionId: string): Promise<void>;
  /** Returns to the live session. */
  openLive(): void;
}

/** A part of the page: its root element, and how it redraws. */
export interface View {
  readonly element: HTMLElement;
  /** Redraws what depends on the changed slices. */
  render(changed: ReadonlySet<Slice>): void;
  /** Once a second, for clocks and "12s ago". */
  tick?(now: number): void;
  /** The view's tab was opened. */
  onShow?(): void;
}
