/**
 * A fixed-row-height virtual list: a spacer as tall as all rows makes the scrollbar right, and only
 * the rows in view (plus overscan) exist as elements, recycled as the user scrolls. 100k rows are
 * ~40 live elements. Heights and offsets are set through the CSSOM (`element.style.x = ...`), which
 * a CSP without 'unsafe-inline' allows; they are our own numbers, never data.
 */
import { h } from '../common/dom';
import { visibleWindow, scrollToReveal, type ListWindow } from './model';

export interface VirtualListOptions {
  rowHeight: number;
  /** Fills a recycled row element for `index`. */
  renderRow(element: HTMLElement, index: number): void;
  /** Called after each render with the window shown, so rows can be fetched. */
  onWindow(window: ListWindow): void;
  onActivate(index: number): void;
}

export class VirtualList {
  readonly element: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rows: HTMLElement;
  private readonly pool: HTMLElement[] = [];
  private count = 0;
  private selected = -1;
  private frame = 0;

  constructor(private readonly options: VirtualListOptions) {
    this.spacer = h('div', { class: 'vlist-spacer' });
    this.rows = h('div', { class: 'vlist-rows', attrs: { role: 'listbox', 'aria-label': 'Traces' } });
    this.element = h('div', { class: 'vlist', attrs: { tabindex: '0' } }, this.spacer, this.rows);
    this.element.addEventListener('scroll', () => this.schedule());
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    this.rows.addEventListener('click', (event) => this.onClick(event));
    new ResizeObserver(() => this.schedule()).observe(this.element);
  }

  setCount(count: number): void {
    this.count = count;
    this.spacer.style.height = `${count * this.options.rowHeight}px`;
    if (this.selected >= count) this.selected = count - 1;
    this.schedule();
  }

  get selectedIndex(): number {
    return this.selected;
  }

  get scrollTop(): number {
    return this.element.scrollTop;
  }

  set scrollTop(value: number) {
    this.element.scrollTop = value;
    this.schedule();
  }

  /** Re-renders the rows in view (e.g. after a page of data arrived). */
  refresh(): void {
    this.schedule();
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const window = visibleWindow(this.element.scrollTop, this.element.clientHeight, this.options.rowHeight, this.count);
    const needed = window.end - window.start;
    while (this.pool.length < needed) {
      const row = h('div', { class: 'vlist-row', attrs: { role: 'option' } });
      this.pool.push(row);
      this.rows.appendChild(row);
    }
    this.rows.style.transform = `translateY(${window.offsetY}px)`;
    this.pool.forEach((row, i) => {
      const index = window.start + i;
      row.hidden = i >= needed;
      if (row.hidden) return;
      row.dataset.index = String(index);
      row.classList.toggle('selected', index === this.selected);
      row.setAttribute('aria-selected', String(index === this.selected));
      this.options.renderRow(row, index);
    });
    this.options.onWindow(window);
  }

  private indexOf(target: EventTarget | null): number | null {
    const row = target instanceof Element ? target.closest<HTMLElement>('.vlist-row') : null;
    const index = row?.dataset.index === undefined ? NaN : Number(row.dataset.index);
    return Number.isInteger(index) ? index : null;
  }

  private onClick(event: MouseEvent): void {
    // Buttons inside a row handle their own clicks.
    if (event.target instanceof Element && event.target.closest('button')) return;
    const index = this.indexOf(event.target);
    if (index === null) return;
    this.select(index);
    this.options.onActivate(index);
  }

  private select(index: number): void {
    this.selected = Math.max(0, Math.min(this.count - 1, index));
    this.element.scrollTop = scrollToReveal(this.selected, this.element.scrollTop, this.element.clientHeight, this.options.rowHeight);
    this.schedule();
  }

  private onKey(event: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.element.clientHeight / this.options.rowHeight) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    const move = moves[event.key];
    if (move !== undefined) {
      event.preventDefault();
      this.select(this.selected < 0 ? 0 : this.selected + move);
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      this.select(event.key === 'Home' ? 0 : this.count - 1);
    } else if (event.key === 'Enter' && this.selected >= 0) {
      this.options.onActivate(this.selected);
    }
  }
}
