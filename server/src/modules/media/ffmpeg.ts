// Supervised ffmpeg processes: started with arguments, restarted with backoff if they die while
// still wanted, always killed (SIGINT, then SIGKILL) when stopped — never left orphaned.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from 'pino';

const live = new Set<ChildProcess>();
// Last resort: if the node process exits, its ffmpeg children go with it.
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export class SupervisedFfmpeg {
  private child: ChildProcess | undefined;
  private wanted = false;
  private restarts = 0;
  private timer: NodeJS.Timeout | undefined;
  exits = 0;

  constructor(
    private readonly bin: string,
    private readonly args: () => string[],
    private readonly log: Logger,
    private readonly label: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }
  get running(): boolean {
    return !!this.child && this.child.exitCode === null;
  }

  start(): void {
    this.wanted = true;
    this.spawn();
  }

  private spawn(): void {
    if (!this.wanted) return;
    const child = spawn(this.bin, ['-hide_banner', '-loglevel', 'error', '-nostdin', ...this.args()], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    live.add(child);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    const started = Date.now();
    child.once('exit', (code, signal) => {
      live.delete(child);
      this.exits++;
      if (!this.wanted) return;
      // Ran a while before dying: reset the backoff. Crashed at once: back off up to 10 s.
      if (Date.now() - started > 10_000) this.restarts = 0;
      const delay = Math.min(10_000, 500 * 2 ** this.restarts++);
      this.log.warn(
        { label: this.label, code, signal, stderr: stderr.trim().slice(-500), restartInMs: delay },
        'ffmpeg exited; restarting',
      );
      this.timer = setTimeout(() => this.spawn(), delay);
      this.timer.unref();
    });
  }

  async stop(): Promise<void> {
    this.wanted = false;
    if (this.timer) clearTimeout(this.timer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGINT'); // lets ffmpeg finish the playlist (writes #EXT-X-ENDLIST for VOD)
    });
  }

  /** Test hook: simulate a crash. */
  crash(): void {
    this.child?.kill('SIGKILL');
  }
}
