import type { FrictionEvent, FrictionKind } from '@horizon/contracts';

export const FRICTION_LABEL: Record<FrictionKind, string> = {
  command_failed: 'command failed',
  command_retried: 'passed on retry',
  missing_tool: 'missing tool',
  missing_script: 'missing script',
  verification_round: 'fix round',
  repeated_tool_call: 'repeated call',
  slow_first_edit: 'slow start',
  mcp_tool_error: 'context tool failed',
  mcp_chain: 'context calls chained',
  tool_error: 'tool failed',
  harness_error: 'agent error',
  git_failed: 'git failed',
  follow_up_unhandled: 'late follow-up',
  setup_gap: 'setup gap',
  slow_setup: 'slow setup',
};

/** The transcript entry's element, as `Transcript` names it. */
export const transcriptEntryId = (seq: number) => `transcript-entry-${seq}`;

/** Scrolls the transcript to an entry, opens it if it folds, and marks it for a moment. */
export function showTranscriptEntry(seq: number): void {
  const entry = document.getElementById(transcriptEntryId(seq));
  if (!entry) return;
  entry.querySelector('details')?.setAttribute('open', '');
  entry.scrollIntoView({ block: 'center' });
  entry.classList.add('entry-shown');
  setTimeout(() => entry.classList.remove('entry-shown'), 2000);
}

/**
 * What got in the run's way, each with the transcript entries that show it: the material a
 * retro turns into platform fixes.
 */
export function Friction({ events }: { events: FrictionEvent[] }) {
  return (
    <section aria-labelledby="friction-title">
      <h2 id="friction-title">Friction</h2>
      {events.length === 0 ? (
        <p className="muted">Nothing got in this run’s way.</p>
      ) : (
        <ul className="friction">
          {events.map((e) => (
            <li key={e.signature}>
              <span className="badge state-failed">{FRICTION_LABEL[e.kind]}</span> {e.summary}
              {e.count > 1 && <span className="muted"> ×{e.count}</span>}
              {e.evidence.length > 0 && (
                <span className="evidence">
                  {' '}
                  {e.evidence.map((seq) => (
                    <button
                      key={seq}
                      type="button"
                      className="link"
                      aria-label={`Show transcript line ${seq + 1}`}
                      onClick={() => showTranscriptEntry(seq)}
                    >
                      line {seq + 1}
                    </button>
                  ))}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
