import { parseDiff, tokenize } from 'react-diff-view';
import { describe, expect, it } from 'vitest';
import { highlighterFor } from './highlight';
import { languageOf } from './languages';

describe('highlight', () => {
  it('picks a grammar by extension', () => {
    expect(languageOf('src/a.ts')).toBe('typescript');
    expect(languageOf('README.md')).toBe('markdown');
    expect(languageOf('Makefile')).toBeNull();
  });

  it('turns code into coloured token nodes, lines split by newline text nodes (shiki, really)', async () => {
    const highlighter = await highlighterFor('typescript');
    const nodes = highlighter!.highlight('const a = 1;\nexport {};', 'typescript');
    const newlines = nodes.filter((n) => n.type === 'text' && n.value === '\n');
    expect(newlines).toHaveLength(1);
    const keyword = nodes.find(
      (n) => n.type === 'element' && n.children[0]?.type === 'text' && n.children[0].value.trim() === 'const',
    );
    expect(keyword).toMatchObject({ type: 'element', color: expect.stringMatching(/^#/) });
    expect(await highlighterFor('cobol')).toBeNull();
  }, 20_000);

  it('feeds react-diff-view: every line of a hunk gets coloured tokens', async () => {
    const [file] = parseDiff(
      'diff --git a/a.ts b/a.ts\n--- a/a.ts\n+++ b/a.ts\n@@ -1,2 +1,2 @@\n const a = 1;\n-let b = 2;\n+const b = 3;\n',
    );
    const highlighter = await highlighterFor('typescript');
    const tokens = tokenize(file!.hunks, {
      highlight: true,
      refractor: highlighter as never,
      language: 'typescript',
    });
    expect(tokens.new).toHaveLength(2);
    expect(tokens.old).toHaveLength(2);
    expect(JSON.stringify(tokens.new[1])).toMatch(/"color":"#[0-9A-Fa-f]+"/);
    expect(JSON.stringify(tokens.new[1])).toContain('3');
  }, 20_000);
});
