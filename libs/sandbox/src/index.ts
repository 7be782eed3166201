export * from './driver';
export { LocalSandboxDriver, type LocalSandboxDriverOptions } from './local/local-driver';
export { chromiumInside, type ChromiumInside } from './chromium-inside';
export { probeHost, type HostProbe } from './host/probe';
export type { CgroupLayout } from './host/cgroups';
export * from './egress/policy';
export { EgressProxy, type EgressProxyOptions, type ModelRequestUsage } from './egress/proxy';
export type { ModelUsage } from './egress/model-usage';
export type { EgressLogEntry } from './egress/request-log';
export {
  SnapshotStore,
  checkoutRunBranch,
  type Snapshot,
  type SnapshotStoreOptions,
  type BuildSnapshotInput,
} from './snapshot/snapshot-store';
export {
  repoConfigSchema,
  parseRepoConfig,
  readRepoConfig,
  repoConfigPath,
  type RepoConfig,
} from './snapshot/repo-config';
export {
  browserChecksSchema,
  browserChecksPath,
  parseBrowserChecks,
  readBrowserChecks,
  describeBrowserStep,
  type BrowserChecks,
  type BrowserPage,
  type BrowserStep,
} from './snapshot/browser-checks';
