import { useState } from 'react';
import type { WorkItemView } from '../../../src/shared/console-api';
import { useMemberOf } from '../session/roles';
import { ErrorNotice } from '../shell/ErrorNotice';
import { useSteering } from './useSteering';

/**
 * An item waiting at a budget: why, and its owner's (or an admin's) two answers — Continue with a
 * stated extra amount (its held run goes on, or it may start), or Stop (the held run ends where
 * it stands, its work saved on its branch). Horizon refuses anyone else with the reason.
 */
export function BudgetAnswer({ item }: { item: Pick<WorkItemView, 'id' | 'repo' | 'state' | 'waiting'> }) {
  const member = useMemberOf(item.repo);
  const { step, send } = useSteering(item.id, 'budget');
  const [extraUsd, setExtraUsd] = useState('2');
  // Minutes answer a run at its wall-time limit; left empty, none are granted.
  const [extraMinutes, setExtraMinutes] = useState('');
  const [sent, setSent] = useState<'continue' | 'stop' | null>(null);
  if (!member || item.state !== 'waiting') return null;
  const amount = Number(extraUsd);
  const minutes = extraMinutes.trim() === '' ? null : Number(extraMinutes);
  const usdValid = Number.isFinite(amount) && amount > 0;
  const minutesValid = minutes === null || (Number.isInteger(minutes) && minutes > 0);
  const valid = usdValid && minutesValid;
  const more = `+$${amount}${minutes !== null ? `, +${minutes} min` : ''}`;
  const busy = step.name === 'sending' || step.name === 'sent';
  const answer = (action: 'continue' | 'stop') => {
    setSent(action);
    void send(
      action === 'continue'
        ? { action, extraUsd: amount, ...(minutes !== null ? { extraMinutes: minutes } : {}) }
        : { action },
    );
  };

  return (
    <section className="steering budget" aria-labelledby="budget-title">
      <h2 id="budget-title">Waiting at a budget</h2>
      <p>{item.waiting?.reason ?? 'A budget was reached; Horizon waits for its owner.'}</p>
      {item.waiting?.answerBy && (
        <p className="muted">
          Without an answer by {new Date(item.waiting.answerBy).toLocaleString()}, it stops.
        </p>
      )}
      <label htmlFor="budget-extra">Extra dollars</label>{' '}
      <input
        id="budget-extra"
        type="number"
        min="0.01"
        step="0.5"
        value={extraUsd}
        onChange={(e) => setExtraUsd(e.target.value)}
        aria-invalid={!usdValid}
      />{' '}
      <label htmlFor="budget-minutes">Extra minutes</label>{' '}
      <input
        id="budget-minutes"
        type="number"
        min="1"
        step="5"
        value={extraMinutes}
        onChange={(e) => setExtraMinutes(e.target.value)}
        aria-invalid={!minutesValid}
      />{' '}
      <button type="button" className="primary" disabled={busy || !valid} onClick={() => answer('continue')}>
        {valid ? `Continue (${more})` : 'Continue'}
      </button>{' '}
      <button type="button" className="danger" disabled={busy} onClick={() => answer('stop')}>
        Stop
      </button>
      {step.name === 'sent' && (
        <p role="status">
          {sent === 'continue'
            ? `Continue with ${more.replaceAll('+', '')} more sent; the work goes on once Horizon has taken it.`
            : 'Stop sent; the run ends where it stands and its work is saved on its branch.'}
        </p>
      )}
      {step.name === 'failed' && (
        <ErrorNotice what="Answering the budget" error={step.error} onRetry={() => sent && answer(sent)} />
      )}
    </section>
  );
}
