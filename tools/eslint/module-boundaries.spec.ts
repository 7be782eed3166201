import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore: an ES module with JSDoc types, loaded through jest's transform
import { moduleBoundaries } from './module-boundaries.mjs';

/** A workspace of two apps, a lib and an e2e project, as the rule discovers them from package.json. */
function workspace(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'boundaries-'));
  const write = (file: string, json: unknown) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), JSON.stringify(json));
  };
  write('package.json', { workspaces: ['apps/*', 'libs/*', 'e2e'] });
  write('apps/notifier/package.json', { name: '@h/notifier', nx: { tags: ['type:app', 'scope:notifier'] } });
  write('apps/forge/package.json', { name: '@h/forge', nx: { tags: ['type:app', 'scope:forge'] } });
  write('libs/testing/package.json', { name: '@h/testing', nx: { tags: ['type:lib', 'scope:shared'] } });
  write('libs/bare/package.json', { name: '@h/bare' });
  write('e2e/package.json', { name: '@h/e2e', nx: { tags: ['type:e2e', 'scope:e2e'] } });
  return root;
}

const root = workspace();
const options = [
  {
    rootDir: root,
    depConstraints: [
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
      { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
      { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib', 'type:app'] },
    ],
  },
];
const at = (file: string) => path.join(root, file);

new RuleTester({ languageOptions: { parser: tseslint.parser } }).run('module-boundaries', moduleBoundaries, {
  valid: [
    { filename: at('apps/notifier/src/a.ts'), code: "import { x } from '@h/testing';", options },
    {
      filename: at('apps/notifier/src/a.ts'),
      code: "import { x } from './b'; import y from '../test/c';",
      options,
    },
    { filename: at('apps/notifier/src/a.ts'), code: "import { x } from '@h/notifier/src/b';", options },
    { filename: at('apps/notifier/src/a.ts'), code: "import { z } from 'zod';", options },
    { filename: at('e2e/a.test.ts'), code: "import { NotifierModule } from '@h/notifier';", options },
    { filename: at('tools/x.ts'), code: "import { y } from '../apps/forge/src/y';", options },
  ],
  invalid: [
    {
      filename: at('apps/notifier/src/a.ts'),
      code: "import { ForgeClient } from '@h/forge';",
      options,
      errors: [
        {
          message:
            '@h/notifier (type:app) may depend only on projects tagged type:lib; @h/forge is tagged type:app, scope:forge',
        },
      ],
    },
    {
      filename: at('apps/notifier/test/a.test.ts'),
      code: "import { Module } from '@h/forge/src/app.module';",
      options,
      errors: [
        {
          message:
            '@h/forge/src/app.module reaches into @h/forge\'s files: import "@h/forge" and export what you need from its src/index.ts',
        },
      ],
    },
    {
      filename: at('apps/notifier/test/a.test.ts'),
      code: "const m = require('../../forge/src/config'); export * from '../../../libs/testing/src/x';",
      options,
      errors: [{ messageId: 'deep' }, { messageId: 'deep' }],
    },
    {
      filename: at('e2e/a.test.ts'),
      code: "const m = import('@h/forge/src/config');",
      options,
      errors: [{ messageId: 'deep' }],
    },
    {
      filename: at('libs/testing/src/a.ts'),
      code: "import { ForgeClient } from '@h/forge';",
      options,
      errors: [{ messageId: 'tag' }],
    },
    {
      filename: at('libs/bare/src/a.ts'),
      code: "import { x } from '@h/testing';",
      options,
      errors: [{ messageId: 'untagged' }],
    },
  ],
});
