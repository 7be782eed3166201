import type { VerificationResult } from './forge';

const OUTPUT_TAIL = 2000;

/** A run's verification results as a check run's conclusion and markdown, and as a PR body section. */
export function verificationReport(results: VerificationResult[]): {
  conclusion: 'success' | 'failure';
  title: string;
  summary: string;
} {
  const failed = results.filter((r) => r.exitCode !== 0);
  const conclusion = failed.length === 0 ? 'success' : 'failure';
  const title =
    results.length === 0
      ? 'No verification commands configured'
      : failed.length === 0
        ? `${results.length} verification command${results.length === 1 ? '' : 's'} passed`
        : `${failed.length} of ${results.length} verification commands failed`;
  const rows = results.map(
    (r) =>
      `| \`${r.command.replace(/\|/g, '\\|')}\` | ${r.exitCode === 0 ? 'passed' : `failed (exit ${r.exitCode})`} | ${formatDuration(r.durationMs)} |`,
  );
  const table = results.length
    ? ['| command | result | time |', '| --- | --- | --- |', ...rows].join('\n')
    : '';
  const outputs = failed
    .filter((r) => r.output)
    .map(
      (r) =>
        `<details><summary><code>${r.command}</code> output</summary>\n\n\`\`\`\n${r.output!.slice(-OUTPUT_TAIL)}\n\`\`\`\n</details>`,
    );
  return { conclusion, title, summary: [table, ...outputs].filter(Boolean).join('\n\n') || title };
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
