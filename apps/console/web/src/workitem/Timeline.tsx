import type { WorkItemDetail } from '../../../src/shared/console-api';
import { formatTime } from './format';

export function Timeline({ entries }: { entries: WorkItemDetail['timeline'] }) {
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      {entries.length === 0 ? (
        <p className="muted">Nothing recorded yet.</p>
      ) : (
        <ol className="timeline">
          {entries.map((e, i) => (
            <li key={i}>
              <time dateTime={e.at}>{formatTime(e.at)}</time>{' '}
              {e.fromState || e.toState ? (
                <strong>
                  {e.fromState ?? '∅'} → {e.toState ?? '∅'}
                </strong>
              ) : (
                <strong>{e.action}</strong>
              )}{' '}
              <span className="muted">by {e.actor}</span>
              <div>{e.cause}</div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
