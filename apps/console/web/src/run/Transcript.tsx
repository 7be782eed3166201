import { useLayoutEffect, useRef, useState } from 'react';
import type { TranscriptEntry } from '../../../src/shared/console-api';
import { formatDuration } from '../workitem/format';
import '../workitem/steering.css';
import { transcriptEntryId } from './Friction';

/** How close to the bottom (px) still counts as "at the bottom": following the run. */
const STICK_PX = 24;

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

function ExitCode({ code }: { code: number | null }) {
  if (code === null) return null;
  return <span className={code === 0 ? 'verification-passed' : 'verification-failed'}> exit {code}</span>;
}

/** A tool call: what it was asked and what it answered, folded away until opened. */
function ToolCall({ entry }: { entry: TranscriptEntry }) {
  const { tool, input, output, exitCode } = entry.detail;
  const command = text((input as { command?: unknown } | undefined)?.command);
  return (
    <details>
      <summary>
        <span className="entry-kind">{text(tool) ?? 'tool'}</span>{' '}
        {command ? <code>$ {command}</code> : entry.summary}
        <ExitCode code={num(exitCode)} />
      </summary>
      <h4>Input</h4>
      <pre>{JSON.stringify(input ?? {}, null, 2)}</pre>
      <h4>Output</h4>
      <pre>{text(output) || '(none)'}</pre>
    </details>
  );
}

/** A verification command: its exit code at once, its log folded away. */
function Check({ entry }: { entry: TranscriptEntry }) {
  const { command, exitCode, durationMs, log } = entry.detail;
  const head = (
    <>
      <span className="entry-kind">check</span> <code>$ {text(command) ?? entry.summary}</code>
      <ExitCode code={num(exitCode)} />
      {num(durationMs) !== null && <span className="muted"> ({formatDuration(num(durationMs)!)})</span>}
    </>
  );
  if (!text(log)) return <p>{head}</p>;
  return (
    <details>
      <summary>{head}</summary>
      <pre>{text(log)}</pre>
    </details>
  );
}

const PLACES: Record<string, string> = {
  slack: 'Slack',
  linear: 'Linear',
  github: 'GitHub',
  console: 'the console',
};

/** A person's follow-up as the runner received it: who wrote it, where, and their words. */
function FollowUp({ entry }: { entry: TranscriptEntry }) {
  const { author, origin, text: words } = entry.detail;
  const place = PLACES[text(origin) ?? ''];
  return (
    <p className="human">
      <span className="entry-kind">follow-up</span> <strong>{text(author) ?? 'someone'}</strong>
      {place && <span className="muted"> in {place}</span>}: {text(words) ?? entry.summary}
    </p>
  );
}

function Entry({ entry }: { entry: TranscriptEntry }) {
  if (entry.kind === 'follow_up.received') return <FollowUp entry={entry} />;
  if (entry.kind === 'text') return <p className="assistant">{text(entry.detail.text) ?? entry.summary}</p>;
  if (entry.kind === 'tool_use') return <ToolCall entry={entry} />;
  if (entry.kind.startsWith('verify.') && entry.kind !== 'verify.started') return <Check entry={entry} />;
  return (
    <p className={entry.kind === 'error' ? 'verification-failed' : 'muted'}>
      <span className="entry-kind">{entry.kind}</span> {entry.summary}
    </p>
  );
}

/**
 * The transcript as it grows. It follows new lines while the person is at the bottom, and
 * stays where they are once they scroll up to read, until they come back down.
 */
export function Transcript({ entries }: { entries: TranscriptEntry[] }) {
  const box = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const [behind, setBehind] = useState(false);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    if (following.current) el.scrollTop = el.scrollHeight;
    else setBehind(true);
  }, [entries]);

  const onScroll = () => {
    const el = box.current!;
    following.current = el.scrollTop + el.clientHeight >= el.scrollHeight - STICK_PX;
    if (following.current) setBehind(false);
  };
  const jump = () => {
    const el = box.current!;
    el.scrollTop = el.scrollHeight;
    following.current = true;
    setBehind(false);
  };

  return (
    <section aria-labelledby="transcript-title">
      <h2 id="transcript-title">Transcript</h2>
      {entries.length === 0 ? (
        <p className="muted">Nothing yet: lines appear here as the run reports them.</p>
      ) : (
        <div
          ref={box}
          className="transcript"
          role="log"
          aria-labelledby="transcript-title"
          tabIndex={0}
          onScroll={onScroll}
        >
          <ol>
            {entries.map((entry) => (
              <li key={entry.seq} id={transcriptEntryId(entry.seq)} className={`entry phase-${entry.phase}`}>
                <Entry entry={entry} />
              </li>
            ))}
          </ol>
        </div>
      )}
      {behind && (
        <button type="button" onClick={jump}>
          New lines below: follow the run
        </button>
      )}
    </section>
  );
}
