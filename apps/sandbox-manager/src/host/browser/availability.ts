import { existsSync } from 'node:fs';
import type { Logger } from '@horizon/observability';
import { chromiumInside } from '@horizon/sandbox';

/**
 * Whether this host checks runs' previews in a browser: configured on, sandboxes available, and
 * Debian's Chromium installed (it is bound into the verify sandbox with the rest of `/usr`). A
 * host that cannot check says why once at start, and its runs start no preview.
 */
export function browserChecksOn(setting: 'on' | 'off', logger: Logger, sandboxes: boolean): boolean {
  if (setting === 'off') {
    logger.info('browser checks are off on this host (BROWSER_CHECKS=off): previews are not started');
    return false;
  }
  if (!sandboxes) return false;
  if (!existsSync(chromiumInside.executable)) {
    logger.warn(
      { executable: chromiumInside.executable },
      "no Chromium on this host: runs' previews are not checked in a browser (install Debian's chromium package)",
    );
    return false;
  }
  return true;
}
