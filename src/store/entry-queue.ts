// A FIFO that hands out its oldest items in batches and drops them only once they are written.
// Plain Array#shift is O(n); this keeps a head index and compacts now and then.
export class EntryQueue<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** The oldest `count` items, still queued. */
  peek(count: number): T[] {
    return this.items.slice(this.head, this.head + count);
  }

  /** Removes the oldest `count` items (after they were written). */
  drop(count: number): void {
    this.head = Math.min(this.head + count, this.items.length);
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 4096 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
