import type { AuditEntryView } from '../../../src/shared/console-api';

/** The latest actions taken through the console, newest first, each with its actor. */
export function AuditTrail({ entries }: { entries: AuditEntryView[] }) {
  if (entries.length === 0) return <p className="muted">Nothing recorded yet.</p>;
  return (
    <ol className="timeline audit-trail">
      {entries.map((e) => (
        <li key={e.id}>
          <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time> <strong>{e.actor}</strong> {e.action}
          {e.target ? ` ${e.target}` : ''}
        </li>
      ))}
    </ol>
  );
}
