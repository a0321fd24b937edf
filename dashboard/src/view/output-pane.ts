import type { OutputBuffer } from '../state/output-buffer.js';
import { h } from './dom.js';

export interface OutputPane {
  element: HTMLElement;
  update(buffer: OutputBuffer): void;
}

// A worker's live output: the buffer's last lines, kept scrolled to the end unless the reader
// scrolled up to read something.
export function createOutputPane(workerId: string): OutputPane {
  const element = h('div', { class: 'worker-output', tabindex: 0, role: 'log', 'aria-label': `Live output of ${workerId}` });
  let drawn = { dropped: -1, length: 0, last: '' };
  return {
    element,
    update(buffer) {
      const lastText = buffer.lines.at(-1)?.text ?? '';
      if (buffer.dropped === drawn.dropped && buffer.lines.length === drawn.length && lastText === drawn.last) return;
      const pinned = element.scrollTop + element.clientHeight >= element.scrollHeight - 8;
      if (buffer.dropped === drawn.dropped && buffer.lines.length >= drawn.length && drawn.length > 0) {
        // Only the open line grew and new lines came: redraw from the last drawn line on.
        element.lastChild?.remove();
        element.append(...buffer.lines.slice(drawn.length - 1).map(toLine));
      } else {
        element.replaceChildren(...(buffer.lines.length > 0 ? buffer.lines.map(toLine) : [h('span', { class: 'line line-empty' }, 'No output yet')]));
      }
      drawn = { dropped: buffer.dropped, length: buffer.lines.length, last: lastText };
      if (pinned) element.scrollTop = element.scrollHeight;
    },
  };
}

function toLine(line: OutputBuffer['lines'][number]): HTMLElement {
  return h('span', { class: `line line-${line.kind}` }, line.kind === 'command' ? `$ ${line.text}` : line.text || ' ');
}
