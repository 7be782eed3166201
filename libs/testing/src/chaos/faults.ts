import type { ServiceWithSchema } from '@horizon/db';
import { REQUEST_KINDS, RequestKind, SentRequest, sleep } from './client';
import type { FaultStack } from './stack';

/** One fault: what breaks, how long it stays broken, and what repairs it (a restart, a thaw). */
export interface Fault {
  name: string;
  break(): Promise<void>;
  holdMs: number;
  repair(): Promise<void>;
  /** The readiness check every service's /readyz must report failing while it is broken. */
  reportsDown?: 'jetstream' | 'postgres';
}

export interface FaultTimings {
  /** How long NATS stays down. */
  natsDownMs: number;
  /** How long Postgres stays down between its immediate stop and its start (a failover's gap). */
  postgresDownMs: number;
  /**
   * The services paused with SIGSTOP, each for how long: past the timeouts its peers apply to
   * it (the 5 s RPC timeout, a client's request timeout, JetStream's 30 s ack wait).
   */
  paused: Readonly<Partial<Record<ServiceWithSchema, number>>>;
}

/**
 * The suite's faults, in order: each service SIGKILLed and started again, NATS stopped and
 * started, Postgres stopped with `pg_ctl -m immediate` (every backend dies at once) and started again, and
 * each of `paused` frozen with SIGSTOP past its peers' timeouts, then thawed.
 */
export function standardFaults(stack: FaultStack, timings: FaultTimings): Fault[] {
  const proc = (service: ServiceWithSchema) => stack.services.get(service)!;
  return [
    ...[...stack.services.keys()].map((service) => ({
      name: `SIGKILL ${service}`,
      break: () => proc(service).kill(),
      holdMs: 0,
      repair: () => proc(service).start(),
    })),
    {
      name: 'restart NATS',
      break: () => stack.nats.stop(),
      holdMs: timings.natsDownMs,
      repair: () => stack.nats.start(),
      reportsDown: 'jetstream' as const,
    },
    {
      name: 'restart Postgres (immediate)',
      break: () => stack.postgres.crash(),
      holdMs: timings.postgresDownMs,
      repair: () => stack.postgres.start(),
      reportsDown: 'postgres' as const,
    },
    ...(Object.entries(timings.paused) as [ServiceWithSchema, number][]).map(([service, pauseMs]) => ({
      name: `SIGSTOP ${service}`,
      break: async () => proc(service).pause(),
      holdMs: pauseMs,
      repair: async () => proc(service).resume(),
    })),
  ];
}

async function readiness(url: string) {
  // Well past the 2 s a service gives its own checks, so a check waiting out its timeout, or a
  // service slowed by a loaded machine, is still heard (the outage lasts until the answer comes).
  const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) }).catch(() => null);
  const body = (await res?.json().catch(() => null)) as { checks?: Record<string, { ok: boolean }> } | null;
  return { status: res?.status ?? null, checks: body?.checks ?? {} };
}

/** The services whose /readyz did not answer 503 naming `check` as failing within `withinMs`. */
async function silentAbout(stack: FaultStack, check: string, withinMs: number): Promise<string[]> {
  const end = Date.now() + withinMs;
  let silent = [...stack.services.values()];
  while (silent.length > 0 && Date.now() < end) {
    const answers = await Promise.all(silent.map(async (p) => ({ p, r: await readiness(p.url) })));
    silent = answers
      .filter(({ r }) => !(r.status === 503 && r.checks[check]?.ok === false))
      .map(({ p }) => p);
    if (silent.length > 0) await sleep(100);
  }
  return silent.map((p) => p.service);
}

/** Waits until every service's /readyz answers 200; the time it took. */
export async function allReady(stack: FaultStack, timeoutMs: number): Promise<number> {
  const started = Date.now();
  const notReady = async () => {
    const answers = await Promise.all(
      [...stack.services.values()].map(async (p) =>
        (await readiness(p.url)).status === 200 ? null : p.service,
      ),
    );
    return answers.filter((s) => s !== null);
  };
  for (let waiting = await notReady(); waiting.length > 0; waiting = await notReady()) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`not ready ${timeoutMs} ms after the repair: ${waiting.join(', ')}`);
    await sleep(100);
  }
  return Date.now() - started;
}

export interface BurstOptions {
  /** At least this many requests… */
  count: number;
  /** …and more until this settles (the fault repaired and every service ready again). */
  until?: Promise<unknown>;
  /** Requests in flight at once. */
  concurrency: number;
  /** Each sender's pause between two requests (0: as fast as ingress answers). */
  paceMs?: number;
  kinds?: readonly RequestKind[];
}

export interface BurstResult {
  requests: SentRequest[];
  ms: number;
}

/** Requests `concurrency` at a time, the kinds taken in turn, while `until` is pending or fewer than `count` went. */
export async function burst(stack: FaultStack, phase: string, options: BurstOptions): Promise<BurstResult> {
  const kinds = options.kinds ?? REQUEST_KINDS;
  const requests: SentRequest[] = [];
  let over = !options.until;
  void options.until?.finally(() => (over = true));
  let next = 0;
  const started = Date.now();
  const worker = async () => {
    for (let i = next++; i < options.count || !over; i = next++) {
      requests.push(await stack.client.send(kinds[i % kinds.length]!, phase));
      if (options.paceMs) await sleep(options.paceMs);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { requests, ms: Date.now() - started };
}

/** One burst's requests: a fault-free one, or one sent through a fault (a `FaultResult`). */
export interface PhaseResult {
  fault: string;
  requests: SentRequest[];
  burstMs: number;
}

export interface FaultResult extends PhaseResult {
  /** From the repair (restart, server back, thaw) to every /readyz answering 200. */
  recoveryMs: number;
  /** Exits of services the suite did not cause, seen by the end of this fault. */
  crashes: string[];
  /** Services whose /readyz did not name the broken dependency while it was (see `Fault.reportsDown`). */
  silent: string[];
}

/** Injects `fault` `leadMs` into a burst that goes on until every service is ready again after the repair. */
export async function underFault(
  stack: FaultStack,
  fault: Fault,
  options: BurstOptions & { leadMs: number; readyTimeoutMs: number },
): Promise<FaultResult> {
  const before = new Map([...stack.services].map(([service, p]) => [service, p.crashes().length]));
  let recovered!: () => void;
  const until = new Promise<void>((resolve) => (recovered = resolve));
  const sending = burst(stack, fault.name, { ...options, until });
  const inject = async () => {
    await sleep(options.leadMs);
    await fault.break();
    const holdEnds = Date.now() + fault.holdMs;
    const silent = fault.reportsDown ? await silentAbout(stack, fault.reportsDown, fault.holdMs) : [];
    await sleep(holdEnds - Date.now());
    const repairedAt = Date.now();
    await fault.repair();
    await allReady(stack, options.readyTimeoutMs);
    return { recoveryMs: Date.now() - repairedAt, silent };
  };
  const { recoveryMs, silent } = await inject().finally(recovered);
  const { requests, ms } = await sending;
  const crashes = [...stack.services].flatMap(([service, p]) => p.crashes().slice(before.get(service)));
  return { fault: fault.name, requests, burstMs: ms, recoveryMs, crashes, silent };
}
