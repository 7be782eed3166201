/**
 * Syntax highlighting for the diff, with shiki (JavaScript regex engine, no wasm). This module is
 * only ever imported dynamically (DiffView), so shiki and each grammar are chunks of their own,
 * fetched when a diff is shown — never part of the console's entry.
 */
import { createHighlighterCore, type HighlighterCore } from 'shiki/core';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';

// The high-contrast variant: the plain one's comments and punctuation fall under WCAG AA's 4.5:1
// on the diff's green and red line backgrounds (axe flagged them in Chromium).
const THEME = 'github-light-high-contrast';

const GRAMMARS: Record<string, () => Promise<unknown>> = {
  typescript: () => import('shiki/langs/typescript.mjs'),
  tsx: () => import('shiki/langs/tsx.mjs'),
  javascript: () => import('shiki/langs/javascript.mjs'),
  jsx: () => import('shiki/langs/jsx.mjs'),
  json: () => import('shiki/langs/json.mjs'),
  css: () => import('shiki/langs/css.mjs'),
  html: () => import('shiki/langs/html.mjs'),
  markdown: () => import('shiki/langs/markdown.mjs'),
  yaml: () => import('shiki/langs/yaml.mjs'),
  python: () => import('shiki/langs/python.mjs'),
  go: () => import('shiki/langs/go.mjs'),
  rust: () => import('shiki/langs/rust.mjs'),
  shellscript: () => import('shiki/langs/shellscript.mjs'),
  sql: () => import('shiki/langs/sql.mjs'),
};

/** A node of the token tree react-diff-view's `tokenize` takes (refractor's shape). */
export type TokenNode =
  | { type: 'text'; value: string }
  | {
      type: 'element';
      tagName: 'span';
      properties: { className: string[] };
      color?: string;
      children: TokenNode[];
    };

/** What `tokenize({highlight: true, refractor})` calls: code in, token nodes out (lines split by `\n`). */
export interface Highlighter {
  highlight(code: string, language: string): TokenNode[];
}

let core: Promise<HighlighterCore> | null = null;
const loaded = new Set<string>();

/** A highlighter with `language` loaded, or null for a file without a grammar here. */
export async function highlighterFor(language: string): Promise<Highlighter | null> {
  const grammar = GRAMMARS[language];
  if (!grammar) return null;
  core ??= createHighlighterCore({
    themes: [import('shiki/themes/github-light-high-contrast.mjs')],
    langs: [],
    engine: createJavaScriptRegexEngine(),
  });
  const shiki = await core;
  if (!loaded.has(language)) {
    await shiki.loadLanguage((await grammar()) as Parameters<HighlighterCore['loadLanguage']>[0]);
    loaded.add(language);
  }
  return {
    highlight(code, lang) {
      const lines = shiki.codeToTokensBase(code, { lang, theme: THEME });
      const nodes: TokenNode[] = [];
      lines.forEach((tokens, i) => {
        if (i > 0) nodes.push({ type: 'text', value: '\n' });
        for (const token of tokens)
          nodes.push({
            type: 'element',
            tagName: 'span',
            properties: { className: ['token'] },
            color: token.color,
            children: [{ type: 'text', value: token.content }],
          });
      });
      return nodes;
    },
  };
}
