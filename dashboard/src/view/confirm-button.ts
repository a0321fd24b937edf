import { button, setText } from './dom.js';

/** How long a destructive button waits for its second press. */
const CONFIRM_MS = 4000;

// A button for something that cannot be undone: the first press arms it ("Confirm stop"), the
// second within a few seconds acts. Keyboard and screen readers get the same two steps.
export function confirmButton(label: string, confirmLabel: string, onConfirm: () => void, className = ''): HTMLButtonElement {
  let armed: number | undefined;
  const disarm = () => {
    clearTimeout(armed);
    armed = undefined;
    setText(element, label);
    element.classList.remove('armed');
  };
  const element = button(
    label,
    () => {
      if (armed === undefined) {
        setText(element, confirmLabel);
        element.classList.add('armed');
        armed = window.setTimeout(disarm, CONFIRM_MS);
        return;
      }
      disarm();
      onConfirm();
    },
    { class: `btn btn-danger ${className}`.trim() },
  );
  element.addEventListener('blur', disarm);
  return element;
}
