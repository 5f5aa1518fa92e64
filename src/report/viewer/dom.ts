/**
 * The one way the viewer makes elements: text goes in through textContent
 * and attributes through properties, never through innerHTML, so a thread
 * name or an item that looks like markup is shown, never parsed.
 */
export type Child = Node | string | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { readonly className?: string; readonly title?: string; readonly id?: string } = {},
  ...children: readonly Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className !== undefined) node.className = props.className;
  if (props.title !== undefined) node.title = props.title;
  if (props.id !== undefined) node.id = props.id;
  append(node, ...children);
  return node;
}

export function append(parent: Node, ...children: readonly Child[]): void {
  for (const child of children) {
    if (child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/**
 * How much of a text the viewer lays out before it is asked for more. A
 * message, an item or a name is data, and may be megabytes of one word:
 * laid out whole, in every place it is shown, it would stall the page.
 */
export const SHOWN_CHARS = 2_000;

/** A text cut to `limit` characters, saying how long it was; whole when it fits. For tooltips and lanes, where a click on the step shows it all. */
export function cut(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length.toLocaleString('en-US')} characters)`;
}

/** A text that may be long: whole when it fits, else its start and a button that shows all of it in place. */
export function longText(text: string, limit = SHOWN_CHARS): Child {
  if (text.length <= limit) return text;
  const button = el('button', { className: 'show-all', title: 'Show the whole text' }, `show all ${text.length.toLocaleString('en-US')} characters`);
  button.type = 'button';
  const holder = el('span', { className: 'long-text' }, `${text.slice(0, limit)}… `, button);
  button.addEventListener('click', (event) => {
    // The click must not also select the step the text is in.
    event.stopPropagation();
    holder.replaceChildren(text);
  });
  return holder;
}

const SVG = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Readonly<Record<string, string | number>> = {}): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

export function byId(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the page has no #${id} element`);
  return node;
}
