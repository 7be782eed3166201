import type { PlanPresencePerson } from '../../../src/shared/console-api';

/** "AL" for Ada Lovelace, "G" for grace: what an avatar shows. */
export function initials(name: string): string {
  const words = name.split(/[\s._-]+/).filter(Boolean);
  return (words.length > 1 ? words[0]![0]! + words.at(-1)![0]! : (words[0] ?? '?').slice(0, 2)).toUpperCase();
}

/** Who has the draft open now, and what they are editing (named in each avatar's label). */
export function PresenceBar({
  people,
  titleOf,
}: {
  people: PlanPresencePerson[];
  titleOf: (itemId: string) => string | undefined;
}) {
  return (
    <section className="presence-bar" aria-label="Who is here">
      {people.length === 0 ? (
        <span className="muted">Nobody else is here.</span>
      ) : (
        <ul>
          {people.map((p) => {
            const editing = p.editingItemId ? titleOf(p.editingItemId) : undefined;
            const label = editing ? `${p.name}, editing “${editing}”` : `${p.name}, looking`;
            return (
              <li key={p.personId} title={label}>
                <span className="avatar" aria-hidden="true">
                  {initials(p.name)}
                </span>
                <span className="visually-hidden">{label}</span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
