import { useState } from 'react';
import { Link } from 'react-router';
import type { PlanDraftView } from '../../../src/shared/console-api';

/**
 * The PM agent on this draft: a button that asks it to plan the brief, and what its last run
 * came to — planning (with a link to the run), a proposal to review, or why there was none.
 * Its proposal replaces the items, so with items on the draft it asks before sending.
 */
export function PmAgentPanel({ draft, onRun }: { draft: PlanDraftView; onRun: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const planning = draft.planning;
  const busy = planning?.state === 'planning';
  const noBrief = !draft.brief.trim();
  const run = () => {
    setConfirming(false);
    onRun();
  };
  const runLink = planning && <Link to={`/work/${planning.workItemId}`}>its run</Link>;

  return (
    <section className="pm-agent" aria-labelledby="pm-agent-title">
      <h2 id="pm-agent-title">PM agent</h2>
      {busy && (
        <p role="status">
          PM agent is planning… Its proposal will replace the items below when it is done. Follow {runLink}.
        </p>
      )}
      {planning?.state === 'failed' && (
        <p role="alert" className="error-notice">
          The PM agent gave no proposal: {planning.error}. See {runLink}, then edit the brief if it needs more
          and run it again.
        </p>
      )}
      {planning?.state === 'proposed' && (
        <p className="muted">
          The items below are the PM agent’s proposal ({runLink}). Review their titles, criteria and
          dependencies, edit what needs it, then start the plan — nothing is created before.
        </p>
      )}
      {confirming ? (
        <div role="group" aria-label="Confirm the PM agent" className="actions">
          <span>Its proposal will replace the {draft.items.length} items below. Run the PM agent?</span>
          <button type="button" onClick={run}>
            Yes, replace them
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        !busy && (
          <>
            <button
              type="button"
              disabled={noBrief}
              aria-describedby="pm-agent-hint"
              onClick={() => (draft.items.length > 0 ? setConfirming(true) : run())}
            >
              {planning ? 'Run the PM agent again' : 'Run the PM agent'}
            </button>
            <p id="pm-agent-hint" className="muted">
              {noBrief
                ? 'Write a brief first: the PM agent plans from it.'
                : 'It plans the brief into items and their dependencies; its proposal replaces the items below, for you to review before anything is created.'}
            </p>
          </>
        )
      )}
    </section>
  );
}
