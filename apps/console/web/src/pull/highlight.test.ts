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
});
