import { harnessLabel, harnessOfLabel, type HarnessName } from '@horizon/contracts';

/** How people write each harness's name, squeezed (lower case, no spaces or hyphens). */
const SPOKEN_NAMES: Readonly<Record<string, HarnessName>> = {
  opencode: 'opencode',
  codex: 'codex',
  openaicodex: 'codex',
  claudecode: 'claude-code',
};

/**
 * A name, optionally in quotes or Slack/Markdown emphasis. It must end the word: not followed by
 * a letter, digit or hyphen ("codexes", "codex-like"), nor by a dot or slash that goes on into a
 * host name or path ("codex.io", "codex/cli"). OpenCode is never two words: "with open code
 * review" is about something else.
 */
const NAME = String.raw`[\`*_"']?((?:openai[ -]?)?codex|open-?code|claude[ -]?code)[\`*_"']?(?![\w-]|[./]\w)`;

/** The phrasings that say which harness to use; each captures the name. */
const PHRASINGS: readonly RegExp[] = [
  // "fix it using codex", "with Claude Code", "via the opencode harness"
  new RegExp(String.raw`\b(?:using|use|with|via)\s+(?:the\s+)?${NAME}`, 'gi'),
  // "harness: opencode", "agent=codex"
  new RegExp(String.raw`\b(?:harness|agent)\s*[:=]\s*${NAME}`, 'gi'),
  // "on the codex harness"
  new RegExp(String.raw`(?<![\w./-])${NAME}\s+harness\b`, 'gi'),
];

/** Said just before a phrasing, it turns it around: "don't use codex". */
const NEGATION = /(?:\bnot|n['’]t|\bnever)\s+$/i;

/**
 * Links and Slack's `<…>` tokens (mentions, `<https://…|label>`) are not the person's words about
 * the harness: a URL containing `harness:codex` names no choice.
 */
const NOT_WORDS = /<[^>\n]*>|\b[a-z][a-z0-9+.-]*:\/\/\S+/gi;

/**
 * The harness a Slack or Linear request's text asks for, or null when it asks for none. Only
 * explicit phrasings count ("using codex", "with Claude Code", "harness: opencode", "the codex
 * harness"), case-insensitively and as whole words; a negated one ("don't use codex") does not;
 * names Horizon has no harness for are passed over; the last one written wins, as a person
 * correcting themselves writes the correction last.
 */
export function harnessNamedIn(text: string | null | undefined): HarnessName | null {
  if (!text) return null;
  const words = text.replace(NOT_WORDS, ' ');
  let last: { at: number; harness: HarnessName } | null = null;
  for (const phrasing of PHRASINGS) {
    for (const match of words.matchAll(phrasing)) {
      if (NEGATION.test(words.slice(Math.max(0, match.index - 12), match.index))) continue;
      const harness = SPOKEN_NAMES[match[1]!.toLowerCase().replace(/[\s-]/g, '')];
      if (harness && (!last || match.index > last.at)) last = { at: match.index, harness };
    }
  }
  return last?.harness ?? null;
}

/**
 * An item's labels with the harness its request text names, recorded as the `harness:<name>`
 * label every source uses. A label that already picks one (a Linear issue's `harness:codex`) is
 * the deliberate choice and stays the only one.
 */
export function labelsWithHarnessNamedIn(
  labels: readonly string[],
  text: string | null | undefined,
): string[] {
  const named = harnessNamedIn(text);
  if (!named || labels.some((label) => harnessOfLabel(label))) return [...labels];
  return [...labels, harnessLabel(named)];
}
