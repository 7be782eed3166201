import fs from 'node:fs';
import path from 'node:path';
import 'reflect-metadata';
import { architecturePage } from './architecture-docs';

describe('docs/architecture.md', () => {
  it('has the services, schemas and messages the code has (regenerate: tools/architecture-docs.ts --write)', async () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', 'docs', 'architecture.md'), 'utf8');
    expect(committed).toBe(await architecturePage(committed));
  });
});
