import type { ControlRequest } from '../../../src/protocol/index.js';
import type { DashboardState, Slice } from '../state/dashboard-state.js';

/** What every view may use: the state (read only), and the few ways to act. */
export interface AppContext {
  readonly state: DashboardState;
  /** Sends a command; its answer arrives in state.controls. */
  sendControl(request: ControlRequest): void;
  /** Opens the statechart view on an actor. */
  openChart(actorId: string): void;
  /** Whether commands can be sent now. */
  isOnline(): boolean;
}

/** A part of the page: its root element, and how it redraws. */
export interface View {
  readonly element: HTMLElement;
  /** Redraws what depends on the changed slices. */
  render(changed: ReadonlySet<Slice>): void;
  /** Once a second, for clocks and "12s ago". */
  tick?(now: number): void;
}
