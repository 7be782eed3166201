import { z } from 'zod';
import { parseRepoFile, readRepoFile } from './repo-file';

/** CSS or Playwright selector text, as `page.locator()` takes it. */
const selector = z.string().min(1);

const actionNames = ['click', 'fill', 'press', 'waitFor', 'expectText'] as const;

/**
 * One thing to do on a page before its capture, an object with exactly one action key so the
 * YAML reads as a list of actions (`- click: 'button#add'`). Optional keys and a refinement
 * rather than a union of one-key objects: a union's error is a bare "Invalid input", where this
 * names the key that is wrong or missing.
 */
export const browserStepSchema = z
  .object({
    click: selector.optional(),
    fill: z.object({ selector, value: z.string() }).strict().optional(),
    press: z
      .object({ selector, key: z.string().min(1) })
      .strict()
      .optional(),
    /** The selector must become visible. */
    waitFor: selector.optional(),
    /** The selector's text must contain `text`. */
    expectText: z
      .object({ selector, text: z.string().min(1) })
      .strict()
      .optional(),
  })
  .strict()
  .refine((step) => Object.keys(step).length === 1, {
    message: `a step is exactly one of ${actionNames.join(', ')}`,
  });

export type BrowserStep = z.infer<typeof browserStepSchema>;

export const browserPageSchema = z
  .object({
    /** Names the page's artifacts (`<name>.png`, `<name>.html`), hence a slug. */
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    path: z.string().startsWith('/', 'a path starting with /'),
    steps: z.array(browserStepSchema).max(30).default([]),
  })
  .strict();

export type BrowserPage = z.infer<typeof browserPageSchema>;

/** A repository's `.horizon/verify.yaml`: the pages a browser checks on the app `preview` serves. */
export const browserChecksSchema = z
  .object({
    viewport: z
      .object({
        width: z.number().int().min(200).max(3840),
        height: z.number().int().min(200).max(2160),
      })
      .strict()
      .default({ width: 1280, height: 800 }),
    pages: z
      .array(browserPageSchema)
      .min(1)
      .max(20)
      .refine((pages) => new Set(pages.map((p) => p.name)).size === pages.length, {
        message: 'two pages share a name; names are unique (they name the screenshots)',
      }),
  })
  .strict();

export type BrowserChecks = z.infer<typeof browserChecksSchema>;

export const browserChecksPath = '.horizon/verify.yaml';

export function parseBrowserChecks(text: string): BrowserChecks {
  return parseRepoFile(browserChecksSchema, browserChecksPath, text);
}

/** Null when the repository has no `.horizon/verify.yaml`: it asks for no browser checks. */
export async function readBrowserChecks(repoDir: string): Promise<BrowserChecks | null> {
  const text = await readRepoFile(repoDir, browserChecksPath);
  return text === null ? null : parseBrowserChecks(text);
}

/** A step as one line, e.g. `click "button#add"`: how problems and step errors name it. */
export function describeBrowserStep(step: BrowserStep): string {
  if (step.click !== undefined) return `click "${step.click}"`;
  if (step.fill) return `fill "${step.fill.selector}" with "${step.fill.value}"`;
  if (step.press) return `press ${step.press.key} in "${step.press.selector}"`;
  if (step.waitFor !== undefined) return `waitFor "${step.waitFor}"`;
  return `expectText "${step.expectText?.text}" in "${step.expectText?.selector}"`;
}
