/**
 * A pass that runs on a timer and whenever someone kicks it, never two at once: a kick during a
 * pass asks for exactly one more after it, however many kicks come. Shared by the run scheduler
 * and the fleet dispatcher, whose passes must not overlap within a process.
 */
export class PeriodicPass {
  private timer?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private pass: Promise<void> = Promise.resolve();

  constructor(
    private readonly run: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Between start() and stop(): a pass in progress checks it to stop early. */
  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    this.running = true;
    this.timer = setInterval(() => this.kick(), this.intervalMs);
    this.kick();
  }

  /** Stops the timer and waits for the pass in progress. */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    await this.pass;
  }

  /** Runs a pass now, or once more right after the one in progress. */
  kick(): void {
    if (!this.running || this.again) return;
    this.again = true;
    this.pass = this.pass.then(async () => {
      this.again = false;
      await this.run().catch(this.onError);
    });
  }
}
