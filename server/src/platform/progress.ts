// Progress of a long command (seed, benchmarks): on a terminal one bar line redrawn in place; in a
// log (not a TTY) a plain line at each 10 % step and one at the end, so a long run writes at most
// ~11 lines instead of kilobytes of carriage returns.
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** Where to write (default: stdout). A stream with isTTY gets the redrawn bar. */
  out?: ProgressStream;
  /** Redraw the bar at most this often, in ms (default 100; the last step always draws). */
  redrawMs?: number;
  now?: () => number;
}

const BAR_WIDTH = 24;

export class Progress {
  private done = 0;
  private detail = '';
  private lastDecile = 0;
  private lastDraw = -Infinity;
  private finished = false;
  private readonly out: ProgressStream;
  private readonly tty: boolean;
  private readonly now: () => number;
  private readonly started: number;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly opts: ProgressOptions = {},
  ) {
    this.out = opts.out ?? process.stdout;
    this.tty = Boolean(this.out.isTTY);
    this.now = opts.now ?? Date.now;
    this.started = this.now();
  }

  /** Set how many of the total are done (fractions allowed), with an optional detail shown after the count. */
  update(done: number, detail?: string): void {
    if (this.finished) return;
    this.done = Math.max(0, Math.min(done, this.total));
    if (detail !== undefined) this.detail = detail;
    if (this.done >= this.total) {
      this.finish();
      return;
    }
    if (this.tty) {
      if (this.now() - this.lastDraw >= (this.opts.redrawMs ?? 100)) this.draw();
      return;
    }
    const decile = Math.floor((this.done / this.total) * 10);
    if (decile > this.lastDecile) {
      this.lastDecile = decile;
      this.out.write(`${this.plainLine()}\n`);
    }
  }

  tick(by = 1, detail?: string): void {
    this.update(this.done + by, detail);
  }

  /** The closing line (idempotent): 100 % when all are done, else where it stopped. */
  finish(detail?: string): void {
    if (this.finished) return;
    this.finished = true;
    if (detail !== undefined) this.detail = detail;
    const secs = ((this.now() - this.started) / 1000).toFixed(1);
    if (this.tty) this.draw(` in ${secs} s`, '\n');
    else this.out.write(`${this.plainLine()} in ${secs} s\n`);
  }

  private percent(): number {
    return this.total > 0 ? Math.floor((this.done / this.total) * 100) : 100;
  }
  private counts(): string {
    return `${Math.floor(this.done)}/${this.total}${this.detail ? ` ${this.detail}` : ''}`;
  }
  private plainLine(): string {
    return `${this.label}: ${this.percent()}% (${this.counts()})`;
  }

  private draw(suffix = '', newline = ''): void {
    this.lastDraw = this.now();
    const filled = Math.round((this.percent() / 100) * BAR_WIDTH);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}`;
    const line = `${this.label} [${bar}] ${this.percent()}% ${this.counts()}`;
    const room = Math.max(20, (this.out.columns || 120) - 1 - suffix.length); // a pty may report 0 columns
    // \r back to the line start, \x1b[K clears what a longer previous line left behind.
    this.out.write(`\r${line.slice(0, room)}${suffix}\x1b[K${newline}`);
  }
}

export function progress(label: string, total: number, opts?: ProgressOptions): Progress {
  return new Progress(label, total, opts);
}
