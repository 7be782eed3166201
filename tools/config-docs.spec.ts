import fs from 'node:fs';
import path from 'node:path';
import { configurationMarkdown } from './config-docs';

describe('docs/configuration.md', () => {
  it('matches what the services read (regenerate with tools/config-docs.ts)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', 'docs', 'configuration.md'), 'utf8');
    expect(committed).toBe(configurationMarkdown());
  });
});
