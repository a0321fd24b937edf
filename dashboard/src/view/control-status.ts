import { describeControl, latestControl } from '../state/controls.js';
import type { AppContext } from './context.js';
import { h, setAttr, setText } from './dom.js';

/** A live line that says how the last command about a target was answered. */
export interface ControlStatus {
  element: HTMLElement;
  update(now?: number): void;
}

/** How long an answer stays beside the buttons: a refusal longer, it needs reading. */
const SHOWN_MS: Record<string, number> = { pending: Infinity, accepted: 15_000, lost: 30_000, refused: 60_000 };

// The answer to the last command about `target` ('session', a worker id), announced to screen readers.
export function createControlStatus(context: AppContext, target: string): ControlStatus {
  const element = h('span', { class: 'control-status', role: 'status', 'aria-live': 'polite' });
  return {
    element,
    update(now = Date.now()) {
      const latest = latestControl(context.state.controls, target);
      const record = latest && now - latest.sentAt < SHOWN_MS[latest.status]! ? latest : undefined;
      setText(element, record ? describeControl(record) : '');
      setAttr(element, 'data-status', record?.status ?? null);
    },
  };
}
