import type { FrictionEvent } from '@horizon/contracts';

/** How long a run's sandbox took to get ready, measured while it booted. */
export interface SetupTimings {
  /**
   * Waiting for the snapshot to boot from: one built for this run (clone, then the repository's
   * setup commands), or one another provision or the refresh was building; ~0 when it was there.
   */
  snapshotMs: number;
  /** The rest of the boot: the base resolved, the run's credentials, the sandbox, the run branch checked out. */
  bootMs: number;
}

/** Above these a setup is a papercut (`SLOW_SNAPSHOT_BUILD_MS`, `SLOW_SANDBOX_BOOT_MS`). */
export interface SlowSetupThresholds {
  snapshotMs: number;
  bootMs: number;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/**
 * A run's `slow_setup` friction: each part of its setup that took longer than its threshold.
 * Nothing in the transcript shows it (the runner starts after), so there is no evidence; the
 * signature names the part, so a repository whose setup is slow shows as one papercut in every
 * run, and the summary gives the measure and the bound.
 */
export function slowSetupFriction(timings: SetupTimings, thresholds: SlowSetupThresholds): FrictionEvent[] {
  const events: FrictionEvent[] = [];
  if (timings.snapshotMs > thresholds.snapshotMs)
    events.push({
      kind: 'slow_setup',
      signature: 'slow_setup:snapshot build',
      summary: `waited ${seconds(timings.snapshotMs)} for the snapshot build (clone and .horizon/config.yaml setup), over the ${seconds(thresholds.snapshotMs)} threshold`,
      count: 1,
      evidence: [],
    });
  if (timings.bootMs > thresholds.bootMs)
    events.push({
      kind: 'slow_setup',
      signature: 'slow_setup:sandbox boot',
      summary: `the sandbox boot and workspace checkout took ${seconds(timings.bootMs)}, over the ${seconds(thresholds.bootMs)} threshold`,
      count: 1,
      evidence: [],
    });
  return events;
}
