import { existsSync } from 'node:fs';
import { createLogger } from '@horizon/observability';
import { chromiumInside } from '@horizon/sandbox';
import { browserChecksOn } from './availability';

const logger = createLogger('availability-spec', 'silent');

describe('whether a host checks previews in a browser', () => {
  it('not when configured off, nor without sandboxes', () => {
    expect(browserChecksOn('off', logger, true)).toBe(false);
    expect(browserChecksOn('on', logger, false)).toBe(false);
  });

  it("on with sandboxes exactly when Debian's Chromium is installed", () => {
    expect(browserChecksOn('on', logger, true)).toBe(existsSync(chromiumInside.executable));
  });
});
