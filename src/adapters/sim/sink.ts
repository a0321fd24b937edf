import { once } from 'node:events';

const FLUSH_AT = 64 * 1024;

// Buffers whole lines for one output stream and writes them in large chunks, waiting for 'drain'.
export class LineSink {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly stream: NodeJS.WritableStream) {}

  // Characters buffered and not yet handed to the stream.
  get pending(): number {
    return this.size;
  }

  json(value: unknown): void {
    this.line(JSON.stringify(value));
  }

  line(text: string): void {
    this.parts.push(text, '\n');
    this.size += text.length + 1;
  }

  // Writes the buffer when it is large; cheap to call after every line.
  async maybeFlush(): Promise<void> {
    if (this.size >= FLUSH_AT) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    await this.raw(chunk);
  }

  // Writes text as is (no newline added) after the buffered lines, honouring backpressure.
  async raw(chunk: string): Promise<void> {
    if (this.size > 0) await this.flush();
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  // Resolves once everything written so far has been handed to the operating system.
  async drained(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve) => this.stream.write('', () => resolve()));
  }
}
