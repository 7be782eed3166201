import { useEffect } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import type { RunPage as RunPageData, TranscriptEntry } from '../../../src/shared/console-api';
import { ErrorNotice } from '../shell/ErrorNotice';
import { CancelButton } from '../workitem/CancelButton';
import { FollowUpBox } from '../workitem/FollowUpBox';
import { RetryButton } from '../workitem/RetryButton';
import { formatDuration, runDuration } from '../workitem/format';
import { BrowserEvidence } from './browser/BrowserEvidence';
import { Friction, showTranscriptEntry } from './Friction';
import { Transcript } from './Transcript';
import { useRun } from './useRun';

function Verification({ checks }: { checks: RunPageData['run']['verification'] }) {
  return (
    <section aria-labelledby="verification-title">
      <h2 id="verification-title">Verification</h2>
      {checks.length === 0 ? (
        <p className="muted">No check has reported yet.</p>
      ) : (
        <ul className="checks">
          {checks.map((v, i) => (
            <li key={i} className={v.exitCode === 0 ? 'verification-passed' : 'verification-failed'}>
              <code>{v.command}</code> exit {v.exitCode} ({formatDuration(v.durationMs)})
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The item's states while a run of it is in flight: a run page of an ended run is then an older one. */
const AT_WORK = new Set<RunPageData['workItem']['state']>([
  'provisioning',
  'running',
  'verifying',
  'revising',
]);

/** `#line-12` (a link from the Friction page): the transcript shows that line once it is there. */
function useLineInHash(transcript: TranscriptEntry[]) {
  const { hash } = useLocation();
  const line = /^#line-(\d+)$/.exec(hash)?.[1];
  const present = line !== undefined && transcript.some((e) => e.seq === Number(line) - 1);
  useEffect(() => {
    if (present) showTranscriptEntry(Number(line) - 1);
  }, [present, line]);
}

function RunView({ page, transcript }: { page: RunPageData; transcript: TranscriptEntry[] }) {
  const { run, workItem } = page;
  useLineInHash(transcript);
  const ms = run.durationMs ?? runDuration(run.startedAt, run.finishedAt);
  return (
    <article className="page run" aria-labelledby="run-title">
      <header>
        <h1 id="run-title">
          Run {run.attempt} of <Link to={`/work/${workItem.id}`}>{workItem.title}</Link>
        </h1>
        <dl className="facts">
          <dt>Attempt</dt>
          <dd>{run.attempt}</dd>
          <dt>Flavour</dt>
          <dd>{run.flavour}</dd>
          <dt>Harness</dt>
          <dd>{run.harness}</dd>
          <dt>Outcome</dt>
          <dd>
            {run.outcome ?? (run.startedAt ? 'running' : 'queued')}
            {run.failureReason && <span className="muted"> — {run.failureReason}</span>}
          </dd>
          <dt>Tokens (in / out)</dt>
          <dd>
            {run.inputTokens.toLocaleString()} / {run.outputTokens.toLocaleString()}
          </dd>
          <dt>Cost</dt>
          <dd>${run.costUsd.toFixed(2)}</dd>
          <dt>Tool calls</dt>
          <dd>{run.toolCalls}</dd>
          <dt>Duration</dt>
          <dd>{ms === null ? '—' : formatDuration(ms)}</dd>
        </dl>
        {!run.outcome && <CancelButton item={workItem} />}
        <RetryButton item={workItem} />
      </header>
      <BrowserEvidence browser={page.browser} />
      <Transcript entries={transcript} />
      <FollowUpBox
        item={workItem}
        running={!run.outcome}
        idleNote={
          run.outcome && AT_WORK.has(workItem.state) ? (
            <>
              This run has ended; the agent is at work in a newer one. Write to it from{' '}
              <Link to={`/work/${workItem.id}`}>the work item</Link>.
            </>
          ) : undefined
        }
      />
      <Verification checks={run.verification} />
      {run.outcome && <Friction events={run.friction} />}
    </article>
  );
}

export function RunPage() {
  const { id = '' } = useParams();
  const state = useRun(id);
  if (state.status === 'loading') return <p className="page-status">Loading the run…</p>;
  if (state.status === 'error')
    return <ErrorNotice what="Loading this run" error={state.error} onRetry={state.retry} />;
  return <RunView page={state.page} transcript={state.transcript} />;
}
