import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import {
  LocalForgeApiError as ForgeApiError,
  LocalForgeClient as ForgeClient,
} from '@horizon/local-forge-client';
import { endpoint, forgeToken } from '../endpoints';
import { CliError, EXIT, exitForStatus, unreachable } from '../exit';
import { collect } from '../options';
import { printJson, printTable, withProgress } from '../output';

const prNumber = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('a pull request number (1, 2, …)');
  return n;
};
/** A positional number, checked inside the action: a usage error with its message. */
const numberArg = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new CliError(EXIT.usage, `"${v}" is not a pull request number (1, 2, …)`);
  return n;
};
const repoName = (v: string) => {
  if (!/^[^/\s]+\/[^/\s]+$/.test(v)) throw new InvalidArgumentError('owner/name');
  return v;
};

/** Runs a forge call with a spinner, turning its failures into exit codes. */
export async function call<T>(label: string, url: string, work: () => Promise<T>): Promise<T> {
  try {
    return await withProgress(label, work);
  } catch (err) {
    if (err instanceof ForgeApiError) throw new CliError(exitForStatus(err.status), `forge: ${err.message}`);
    if (err instanceof TypeError) throw unreachable('forge', url, err);
    throw err;
  }
}

export function prCommand(program: Command): void {
  const pr = program
    .command('pr')
    .description('pull requests on the local forge (token: FORGE_TOKEN or $HORIZON_DATA_DIR/forge.token)')
    .option('--repo <owner/name>', 'the repository (default: $HORIZON_REPO)', repoName)
    .option('--as <login>', 'who you are on the forge (default: $HORIZON_USER, else the forge default)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ horizon pr list --repo demo/app\n  $ horizon pr diff 1 --repo demo/app\n  $ horizon pr comment 1 "@horizon please add a test" --repo demo/app --as ann\n  $ horizon pr approve 1 --repo demo/app --as ann && horizon pr merge 1 --repo demo/app --as ann',
    );
  const ctx = async () => {
    const o = pr.opts<{ repo?: string; as?: string }>();
    const repo = o.repo ?? (process.env.HORIZON_REPO ? repoName(process.env.HORIZON_REPO) : undefined);
    if (!repo) throw new CliError(EXIT.usage, 'which repository? pass --repo owner/name or set HORIZON_REPO');
    const [owner, name] = repo.split('/') as [string, string];
    const url = await endpoint('forge');
    const user = o.as ?? process.env.HORIZON_USER;
    return {
      owner,
      name,
      url,
      client: new ForgeClient({ baseUrl: url, token: forgeToken(), ...(user ? { user } : {}) }),
    };
  };

  pr.command('list')
    .description('pull requests, newest first')
    .option('--state <state>', 'open | closed | all', 'open')
    .option('--json', 'print JSON')
    .action(async (o: { state: 'open' | 'closed' | 'all'; json?: boolean }) => {
      if (!['open', 'closed', 'all'].includes(o.state))
        throw new CliError(EXIT.usage, `--state must be open, closed or all, not "${o.state}"`);
      const { owner, name, url, client } = await ctx();
      const pulls = await call('listing', url, () => client.listPulls(owner, name, o.state));
      if (o.json) return printJson(pulls);
      printTable(
        pulls.map((p) => ({
          ...p,
          state: p.merged ? 'merged' : p.state,
          branch: `${p.headRef} → ${p.baseRef}`,
        })),
        ['number', 'state', 'author', 'branch', 'title'],
      );
    });

  pr.command('show <number>')
    .description('one pull request: state, approval, mergeability, labels, reviews and comments')
    .option('--json', 'print JSON')
    .action(async (raw: string, o: { json?: boolean }) => {
      const number = numberArg(raw);
      const { owner, name, url, client } = await ctx();
      const [detail, reviews, comments] = await call('loading', url, () =>
        Promise.all([
          client.pull(owner, name, number),
          client.reviews(owner, name, number),
          client.comments(owner, name, number),
        ]),
      );
      if (o.json) return printJson({ ...detail, reviews, comments });
      const state = detail.merged ? `merged by ${detail.mergedBy}` : detail.state;
      const out = [
        `#${detail.number} ${detail.title}  [${state}]`,
        `${detail.author} wants to merge ${detail.headRef} (${detail.headSha.slice(0, 12)}) into ${detail.baseRef}`,
        `approved: ${detail.approved ? `yes (${detail.approvedBy.join(', ')})` : 'no'}${detail.changesRequestedBy.length ? `; changes requested by ${detail.changesRequestedBy.join(', ')}` : ''}`,
        `mergeable: ${detail.mergeable ? 'yes' : `no (${detail.mergeableReason})`}`,
        ...(detail.labels.length ? [`labels: ${detail.labels.map((l) => l.name).join(', ')}`] : []),
        ...(detail.body ? ['', detail.body] : []),
        ...reviews.map((r) => `\nreview ${r.id} by ${r.author}: ${r.state}${r.body ? `\n  ${r.body}` : ''}`),
        ...comments.map(
          (c) =>
            `\ncomment ${c.id} by ${c.author}${c.path ? ` on ${c.path}${c.line ? `:${c.line}` : ''}` : ''}:\n  ${c.body}`,
        ),
      ];
      process.stdout.write(`${out.join('\n')}\n`);
    });

  pr.command('diff <number>')
    .description('the unified diff (git diff base...head)')
    .action(async (raw: string) => {
      const number = numberArg(raw);
      const { owner, name, url, client } = await ctx();
      process.stdout.write(await call('loading', url, () => client.diff(owner, name, number)));
    });

  pr.command('comment <number> <body>')
    .description(
      'comment on the conversation, or on a line with --path/--line ("@horizon …" asks for a revision)',
    )
    .option('--path <file>', 'a file of the diff')
    .option('--line <n>', 'a line of that file', prNumber)
    .option('--json', 'print JSON')
    .action(async (raw: string, body: string, o: { path?: string; line?: number; json?: boolean }) => {
      const number = numberArg(raw);
      if (o.line && !o.path) throw new CliError(EXIT.usage, '--line needs --path');
      const { owner, name, url, client } = await ctx();
      const c = await call('commenting', url, () =>
        client.comment(owner, name, number, {
          body,
          ...(o.path ? { path: o.path } : {}),
          ...(o.line ? { line: o.line } : {}),
        }),
      );
      if (o.json) printJson(c);
      else process.stdout.write(`comment ${c.id} on #${number}\n`);
    });

  pr.command('approve <number>')
    .description('submit an approving review (or --request-changes)')
    .option('--request-changes', 'request changes instead (needs --body)')
    .option('--body <text>', 'the review text')
    .option('--json', 'print JSON')
    .action(async (raw: string, o: { requestChanges?: boolean; body?: string; json?: boolean }) => {
      const number = numberArg(raw);
      if (o.requestChanges && !o.body)
        throw new CliError(EXIT.usage, '--request-changes needs --body saying what to change');
      const { owner, name, url, client } = await ctx();
      const review = await call('reviewing', url, () =>
        client.review(owner, name, number, {
          event: o.requestChanges ? 'REQUEST_CHANGES' : 'APPROVE',
          ...(o.body ? { body: o.body } : {}),
        }),
      );
      if (o.json) printJson(review);
      else process.stdout.write(`review ${review.id}: ${review.state} on #${number}\n`);
    });

  pr.command('merge <number>')
    .description(
      'merge into the base branch with a merge commit (needs an approval unless FORGE_REQUIRE_APPROVAL=false)',
    )
    .option('--json', 'print JSON')
    .action(async (raw: string, o: { json?: boolean }) => {
      const number = numberArg(raw);
      const { owner, name, url, client } = await ctx();
      const merged = await call('merging', url, () => client.merge(owner, name, number));
      if (o.json) printJson(merged);
      else process.stdout.write(`merged #${number} into ${merged.baseRef}: ${merged.mergeCommitSha}\n`);
    });

  pr.command('label <number>')
    .description(
      'add and remove labels (horizon:no-autofix stops fix runs on a Horizon PR, removing it resumes them); with neither, list them',
    )
    .option('--add <label>', 'a label to put on (repeatable)', collect, [])
    .option('--remove <label>', 'a label to take off (repeatable)', collect, [])
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  $ horizon pr label 1 --repo demo/app --add horizon:no-autofix')
    .action(async (raw: string, o: { add: string[]; remove: string[]; json?: boolean }) => {
      const number = numberArg(raw);
      const { owner, name, url, client } = await ctx();
      const labels = await call('labelling', url, async () => {
        let now = o.add.length ? await client.addLabels(owner, name, number, o.add) : null;
        for (const label of o.remove) now = await client.removeLabel(owner, name, number, label);
        return now ?? client.labels(owner, name, number);
      });
      if (o.json) return printJson(labels);
      const names = labels.map((l) => l.name).join(', ');
      process.stdout.write(`#${number}: ${names || 'no labels'}\n`);
    });

  pr.command('check <repo> <target>')
    .description(
      "report a check run from your own CI on a pull request's head (a number) or a commit (a sha); a failure on a Horizon PR starts a fix run",
    )
    .requiredOption('--name <name>', 'the check, as your CI calls it (e.g. ci/test)')
    .requiredOption('--conclusion <conclusion>', 'success | failure')
    .option('--output <file>', "the check's log: the fix run reads its last 20,000 characters")
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExample:\n  $ npm test > ci.log 2>&1; horizon pr check demo/app 1 --name ci/test --conclusion failure --output ci.log',
    )
    .action(
      async (
        repo: string,
        target: string,
        o: { name: string; conclusion: string; output?: string; json?: boolean },
      ) => {
        repoName(repo);
        if (o.conclusion !== 'success' && o.conclusion !== 'failure')
          throw new CliError(EXIT.usage, `--conclusion must be success or failure, not "${o.conclusion}"`);
        const summary = o.output ? readOutput(o.output) : '';
        const [owner, name] = repo.split('/') as [string, string];
        const url = await endpoint('forge');
        const client = new ForgeClient({ baseUrl: url, token: forgeToken() });
        const headSha = /^[0-9a-f]{40}$/.test(target)
          ? target
          : (await call('loading', url, () => client.pull(owner, name, numberArg(target)))).headSha;
        const check = await call('reporting', url, () =>
          client.createCheckRun(owner, name, {
            headSha,
            name: o.name,
            results: [],
            conclusion: o.conclusion as 'success' | 'failure',
            summary,
          }),
        );
        if (o.json) printJson({ ...check, headSha });
        else
          process.stdout.write(
            `check run ${check.id} "${o.name}": ${check.conclusion} on ${headSha.slice(0, 12)}\n`,
          );
      },
    );
}

/** The forge keeps 65,536 characters of a summary: the tail, where a failure is. */
const SUMMARY_MAX = 65_536;

function readOutput(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(EXIT.usage, `--output ${file}: ${(err as Error).message}`);
  }
  return text.length > SUMMARY_MAX ? text.slice(-SUMMARY_MAX) : text;
}
