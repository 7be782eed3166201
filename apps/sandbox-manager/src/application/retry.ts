import { setTimeout as sleep } from 'node:timers/promises';

/** Runs `write` until it succeeds, at most `attempts` times, waiting longer after each failure. */
export async function retrying<T>(write: () => Promise<T>, attempts: number, delayMs: number): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await sleep(delayMs * attempt);
    }
  }
}
