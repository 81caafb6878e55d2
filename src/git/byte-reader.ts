/**
 * Reads a byte stream piece by piece, split at a delimiter byte, without
 * ever holding more than the current piece. Git's `-z` output mixes
 * NUL-terminated fields with newline-terminated patch lines, so the caller
 * chooses the delimiter for each read.
 */
export class ByteReader {
  private buffer: Buffer = Buffer.alloc(0);
  private position = 0;
  private ended = false;
  private readonly source: AsyncIterator<Buffer>;

  constructor(source: AsyncIterable<Buffer>) {
    this.source = source[Symbol.asyncIterator]();
  }

  /** The next byte without consuming it; -1 at the end of the stream. */
  async peek(): Promise<number> {
    if (this.position >= this.buffer.length && !(await this.fill())) {
      return -1;
    }
    return this.buffer[this.position]!;
  }

  /** Whether the unread bytes start with `prefix` (consumes nothing). */
  async startsWith(prefix: Buffer): Promise<boolean> {
    while (this.buffer.length - this.position < prefix.length) {
      if (!(await this.fill())) break;
    }
    const end = this.position + prefix.length;
    if (end > this.buffer.length) return false;
    return this.buffer.subarray(this.position, end).equals(prefix);
  }

  /** Consumes one byte. */
  async skip(): Promise<void> {
    if (this.position >= this.buffer.length && !(await this.fill())) return;
    this.position++;
  }

  /**
   * Reads up to the next `delimiter` and consumes it. Returns the bytes
   * before it, the rest of the stream when no delimiter follows, or
   * undefined at the end of the stream.
   */
  async readUntil(delimiter: number): Promise<Buffer | undefined> {
    const parts: Buffer[] = [];
    for (;;) {
      const at = this.buffer.indexOf(delimiter, this.position);
      if (at !== -1) {
        parts.push(this.buffer.subarray(this.position, at));
        this.position = at + 1;
        return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      }
      if (this.position < this.buffer.length) {
        parts.push(this.buffer.subarray(this.position));
      }
      this.position = this.buffer.length;
      if (!(await this.fill())) {
        return parts.length ? Buffer.concat(parts) : undefined;
      }
    }
  }

  /** Appends the next chunk; false at the end of the stream. */
  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.source.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    const rest = this.buffer.subarray(this.position);
    this.buffer = rest.length ? Buffer.concat([rest, next.value]) : next.value;
    this.position = 0;
    return true;
  }
}
