/**
 * DOM building without HTML parsing: every string becomes a text node, so
 * attacker-written data (usernames, commands, headers...) is never markup.
 */
export type Child = Node | string | number | null | undefined | false;

export interface Attrs {
  class?: string;
  id?: string;
  title?: string;
  /** Only in-app links (`#/...`); anything else is refused. */
  href?: string;
  type?: string;
  value?: string;
  placeholder?: string;
  name?: string;
  for?: string;
  min?: string;
  max?: string;
  dataset?: Record<string, string>;
  on?: Partial<Record<keyof HTMLElementEventMap, (event: Event) => void>>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs.class) el.className = attrs.class;
  if (attrs.id) el.id = attrs.id;
  if (attrs.title !== undefined) el.title = attrs.title;
  if (attrs.href !== undefined) {
    if (!attrs.href.startsWith('#')) throw new TypeError(`Refusing link "${attrs.href}": expected an in-app #/ link`);
    el.setAttribute('href', attrs.href);
  }
  for (const key of ['type', 'value', 'placeholder', 'name', 'for', 'min', 'max'] as const) {
    const value = attrs[key];
    if (value !== undefined) el.setAttribute(key, value);
  }
  if (attrs.value !== undefined && 'value' in el) (el as HTMLInputElement).value = attrs.value;
  for (const [key, value] of Object.entries(attrs.dataset ?? {})) el.dataset[key] = value;
  for (const [name, listener] of Object.entries(attrs.on ?? {})) el.addEventListener(name, listener);
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

export function clear(el: Node): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** Formats an ISO time as `YYYY-MM-DD HH:MM:SS` UTC. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').slice(0, 19);
}

export function formatNumber(n: number): string {
  return n.toLocaleString('en-US');
}

/** Saves a Blob under a file name through a temporary object URL. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
