/**
 * `repo:owner/name` written in a Slack message or an issue description: after the start, a
 * space or an opening bracket or quote, so `(repo:acme/app)` and `"repo:acme/app"` count, and
 * in GitHub's own name characters, so the closing punctuation of a sentence is not taken in.
 */
const repoMention = /(?:^|[\s([{"'`*_])repo:([A-Za-z0-9-]+\/[A-Za-z0-9_.-]+)/;

export function repoNamedIn(text: string | null | undefined): string | null {
  return text?.match(repoMention)?.[1]?.replace(/\.+$/, '') ?? null;
}
