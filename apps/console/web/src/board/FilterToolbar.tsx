import type { FormEvent } from 'react';
import { allKinds, allStates, type BoardFilters } from './groups';

interface Props {
  filters: BoardFilters;
  onChange: (next: BoardFilters) => void;
  /** Values seen on the board, offered as suggestions for the free-text filters. */
  suggestions: { repo: string[]; owner: string[]; label: string[] };
}

const textFilters = [
  { key: 'repo', label: 'Repository', placeholder: 'owner/name' },
  { key: 'owner', label: 'Owner', placeholder: 'person id' },
  { key: 'label', label: 'Label', placeholder: 'label' },
] as const;

/** Selects apply at once; text filters apply on Enter or when focus leaves them. */
export function FilterToolbar({ filters, onChange, suggestions }: Props) {
  const set = (key: keyof BoardFilters, value: string) => {
    if ((filters[key] ?? '') !== value) onChange({ ...filters, [key]: value || undefined });
  };
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const next: BoardFilters = { ...filters };
    for (const { key } of textFilters) next[key] = String(data.get(key) ?? '').trim() || undefined;
    onChange(next);
  };
  const active = Object.values(filters).some(Boolean);

  return (
    <form className="toolbar" role="search" aria-label="Filter work items" onSubmit={onSubmit}>
      <label>
        State
        <select value={filters.state ?? ''} onChange={(e) => set('state', e.target.value)}>
          <option value="">any</option>
          {allStates.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Kind
        <select value={filters.kind ?? ''} onChange={(e) => set('kind', e.target.value)}>
          <option value="">any</option>
          {allKinds.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      {textFilters.map(({ key, label, placeholder }) => (
        <label key={key}>
          {label}
          <input
            // Re-created when the URL changes, so the field always shows the applied filter.
            key={filters[key] ?? ''}
            name={key}
            defaultValue={filters[key] ?? ''}
            placeholder={placeholder}
            list={`filter-${key}-options`}
            onBlur={(e) => set(key, e.target.value.trim())}
          />
          <datalist id={`filter-${key}-options`}>
            {suggestions[key].map((v) => (
              <option key={v} value={v} />
            ))}
          </datalist>
        </label>
      ))}
      <button type="submit">Apply</button>
      {active && (
        <button type="button" onClick={() => onChange({})}>
          Clear filters
        </button>
      )}
    </form>
  );
}
