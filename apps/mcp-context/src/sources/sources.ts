import type {
  ChatSource,
  DesignSource,
  DocsSource,
  ConventionsSource,
  ErrorSource,
  ForgeSource,
  LogSource,
  RunHistory,
  TrackerSource,
} from './ports';

/** The adapters this Horizon is configured with; a missing one means its tools are not offered. */
export interface Sources {
  tracker?: TrackerSource;
  chat?: ChatSource;
  docs?: DocsSource;
  design?: DesignSource;
  forge?: ForgeSource;
  logs: LogSource;
  errors: ErrorSource;
  runs: RunHistory;
  conventions: ConventionsSource;
}
