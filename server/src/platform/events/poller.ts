// A background loop that runs `tick` every `intervalMs`, or at once when woken, never two ticks
// at a time, and stops cleanly (waiting for the tick in flight).
import type { Logger } from 'pino';

export class Poller {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private wakeRequested = false;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    /** Returns true when it did work, so the loop runs again at once to drain a backlog. */
    private readonly tick: () => Promise<boolean>,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), delay);
    this.timer.unref?.();
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    if (this.stopped || this.running) return;
    let didWork = false;
    this.running = (async () => {
      try {
        didWork = await this.tick();
      } catch (err) {
        this.log.error({ err, poller: this.name }, 'background tick failed');
      }
    })();
    await this.running;
    this.running = undefined;
    if (this.stopped) return;
    const again = didWork || this.wakeRequested;
    this.wakeRequested = false;
    this.schedule(again ? 0 : this.intervalMs);
  }
}
