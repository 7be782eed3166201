import { useState, type FormEvent } from 'react';
import type { PlanItemView, PlanPresencePerson } from '../../../src/shared/console-api';
import { initials } from './PresenceBar';

export type ItemFields = Omit<PlanItemView, 'id'>;

/**
 * One proposed issue: read, or (while this person edits it) a form. The form keeps its own
 * copy, so a change someone else saves meanwhile does not wipe what is being typed; saving
 * then meets the version check and the page says so.
 */
export function ItemCard({
  item,
  siblings,
  editors,
  editing,
  readOnly,
  onEdit,
  onCancel,
  onSave,
  onRemove,
}: {
  item: PlanItemView;
  siblings: PlanItemView[];
  /** Others editing this item now. */
  editors: PlanPresencePerson[];
  editing: boolean;
  readOnly: boolean;
  onEdit: () => void;
  onCancel: () => void;
  onSave: (fields: ItemFields) => void;
  onRemove: () => void;
}) {
  const titleOf = (id: string) => siblings.find((s) => s.id === id)?.title ?? id;
  return (
    <li className="card plan-item" aria-labelledby={`item-${item.id}`}>
      <div className="plan-item-head">
        <h3 id={`item-${item.id}`}>{item.title}</h3>
        {editors.map((p) => (
          <span key={p.personId} className="avatar editing" title={`${p.name} is editing this`}>
            {initials(p.name)}
            <span className="visually-hidden"> {p.name} is editing this</span>
          </span>
        ))}
      </div>
      {editing ? (
        <ItemForm item={item} siblings={siblings} onCancel={onCancel} onSave={onSave} />
      ) : (
        <>
          {item.description && <p className="plan-text">{item.description}</p>}
          {item.acceptanceCriteria.trim() && (
            <ul className="criteria" aria-label="Acceptance criteria">
              {item.acceptanceCriteria
                .split('\n')
                .filter((c) => c.trim())
                .map((c, i) => (
                  <li key={i}>{c}</li>
                ))}
            </ul>
          )}
          <p className="card-meta">
            {item.blockedBy.length ? `Blocked by ${item.blockedBy.map(titleOf).join(', ')}` : 'Not blocked'}
          </p>
          {!readOnly && (
            <div className="actions">
              <button type="button" onClick={onEdit}>
                Edit “{item.title}”
              </button>
              <button type="button" onClick={onRemove}>
                Remove “{item.title}”
              </button>
            </div>
          )}
        </>
      )}
    </li>
  );
}

/** The fields of an item, for a new one (no `item`) or an existing one. */
export function ItemForm({
  item,
  siblings,
  onCancel,
  onSave,
}: {
  item?: PlanItemView;
  siblings: PlanItemView[];
  onCancel: () => void;
  onSave: (fields: ItemFields) => void;
}) {
  const [fields, setFields] = useState<ItemFields>({
    title: item?.title ?? '',
    description: item?.description ?? '',
    acceptanceCriteria: item?.acceptanceCriteria ?? '',
    blockedBy: item?.blockedBy ?? [],
  });
  const prefix = `item-${item?.id ?? 'new'}`;
  const others = siblings.filter((s) => s.id !== item?.id);
  const toggle = (id: string, on: boolean) =>
    setFields((f) => ({ ...f, blockedBy: on ? [...f.blockedBy, id] : f.blockedBy.filter((b) => b !== id) }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSave(fields);
  };
  return (
    <form className="plan-form" onSubmit={submit}>
      <label htmlFor={`${prefix}-title`}>Title</label>
      <input
        id={`${prefix}-title`}
        required
        maxLength={200}
        value={fields.title}
        onChange={(e) => setFields({ ...fields, title: e.target.value })}
      />
      <label htmlFor={`${prefix}-description`}>Description</label>
      <textarea
        id={`${prefix}-description`}
        rows={3}
        value={fields.description}
        onChange={(e) => setFields({ ...fields, description: e.target.value })}
      />
      <label htmlFor={`${prefix}-criteria`}>Acceptance criteria (one per line)</label>
      <textarea
        id={`${prefix}-criteria`}
        rows={3}
        value={fields.acceptanceCriteria}
        onChange={(e) => setFields({ ...fields, acceptanceCriteria: e.target.value })}
      />
      {others.length > 0 && (
        <fieldset>
          <legend>Blocked by</legend>
          {others.map((s) => (
            <label key={s.id} className="check">
              <input
                type="checkbox"
                checked={fields.blockedBy.includes(s.id)}
                onChange={(e) => toggle(s.id, e.target.checked)}
              />
              {s.title}
            </label>
          ))}
        </fieldset>
      )}
      <div className="actions">
        <button type="submit">{item ? 'Save item' : 'Add item'}</button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
