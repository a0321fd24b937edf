/** Attributes of h(): strings and numbers are set, true sets an empty attribute, false and null skip it. */
export type Attrs = Record<string, string | number | boolean | null | undefined>;
export type Child = Node | string | null | undefined | false;

const SVG_NS = 'http://www.w3.org/2000/svg';

// Creates an HTML element. Inline `style` attributes are refused by the page's CSP, so styling goes
// through classes (and the CSSOM for computed sizes).
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  setAttributes(element, attrs);
  append(element, children);
  return element;
}

// Creates an SVG element.
export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  setAttributes(element, attrs);
  append(element, children);
  return element;
}

// Sets text only when it differs, so unchanged frames cost no layout.
export function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

// Sets or removes an attribute only when it differs.
export function setAttr(element: Element, name: string, value: string | null): void {
  if (value === null) {
    if (element.hasAttribute(name)) element.removeAttribute(name);
  } else if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}

// A button that runs `onClick`; its label is its accessible name.
export function button(label: string, onClick: () => void, attrs: Attrs = {}): HTMLButtonElement {
  const element = h('button', { type: 'button', ...attrs }, label);
  element.addEventListener('click', onClick);
  return element;
}

// A panel with a heading and a body, the page's basic block.
export function panel(title: string, body: Node, attrs: Attrs = {}): HTMLElement {
  const id = `panel-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return h('section', { class: 'panel', 'aria-labelledby': id, ...attrs }, h('h2', { id, class: 'panel-title' }, title), body);
}

// An empty state: a short sentence saying what will appear here.
export function empty(text: string): HTMLElement {
  return h('p', { class: 'empty' }, text);
}

function setAttributes(element: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(element: Element, children: Child[]): void {
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
}
