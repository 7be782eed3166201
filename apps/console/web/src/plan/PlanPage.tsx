import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import type {
  HarnessName,
  PlanDraftView,
  PlanEditRequest,
  PlanPmAgentRequest,
  PlanStartRequest,
  PlanStarted,
} from '../../../src/shared/console-api';
import { ApiFailure } from '../api/client';
import { useResource } from '../api/useResource';
import { useSession } from '../session/SessionProvider';
import { ErrorNotice } from '../shell/ErrorNotice';
import { HarnessSelect } from './HarnessSelect';
import { ItemCard, ItemForm, type ItemFields } from './ItemCard';
import { PlanConflictFailure, sendPlan } from './planApi';
import { PmAgentPanel } from './PmAgentPanel';
import { PresenceBar } from './PresenceBar';
import { usePlanLive } from './usePlanLive';

type Edit = PlanEditRequest extends infer E ? (E extends unknown ? Omit<E, 'version'> : never) : never;
/** What this person has open: nothing, the title and brief, a new item, or an item by id. */
type Editing = null | 'details' | 'new' | string;

/** `/plans/:id`: the draft, shaped together; every save is made on the version on screen. */
export function PlanPage() {
  const { id = '' } = useParams();
  const { session } = useSession();
  const resource = useResource<PlanDraftView>(`/api/plans/${id}`);
  // The answer of this person's last write, until the next read is at least as new.
  const [written, setWritten] = useState<PlanDraftView | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [started, setStarted] = useState<PlanStarted | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [harness, setHarness] = useState<HarnessName | ''>('');
  const read = resource.status === 'ready' ? resource.data : null;
  const draft = read && written ? (written.version > read.version ? written : read) : (read ?? written);
  const editingItemId = editing && editing !== 'details' && editing !== 'new' ? editing : null;
  const live = usePlanLive(id, session.csrfToken, editingItemId);
  const { reload } = resource;

  // Someone saved a newer version: read it (this person's open form keeps its own copy).
  useEffect(() => {
    if (live.latest && draft && live.latest.version > draft.version) reload();
  }, [live.latest, draft, reload]);

  if (!draft) {
    if (resource.status === 'error')
      return <ErrorNotice what="Loading the plan" error={resource.error} onRetry={reload} />;
    return <p className="page-status">Loading the plan…</p>;
  }

  const readOnly = draft.status === 'started';
  const others = live.people.filter((p) => p.personId !== session.person.id);
  const titleOf = (itemId: string) => draft.items.find((i) => i.id === itemId)?.title;

  const fail = (err: unknown) => {
    if (err instanceof PlanConflictFailure) {
      setWritten(err.current);
      setEditing(null);
      setNotice(
        err.current.status === 'started'
          ? `${err.current.updatedBy} started this plan meanwhile — your edit was not saved.`
          : `${err.current.updatedBy} changed this meanwhile — your edit was not saved; here is the current version.`,
      );
    } else setFailure(err instanceof ApiFailure ? err : new ApiFailure(`/api/plans/${id}`, 0, String(err)));
  };
  const save = (edit: Edit) => {
    setNotice(null);
    setFailure(null);
    sendPlan<PlanDraftView>('PATCH', `/api/plans/${id}`, session.csrfToken, {
      ...edit,
      version: draft.version,
    })
      .then((saved) => {
        setWritten(saved);
        setEditing(null);
      })
      .catch(fail);
  };
  const start = () => {
    setConfirming(false);
    setNotice(null);
    setFailure(null);
    sendPlan<PlanStarted>('POST', `/api/plans/${id}/start`, session.csrfToken, {
      version: draft.version,
      ...(harness ? { harness } : {}),
    } satisfies PlanStartRequest)
      .then((result) => {
        setWritten(result.draft);
        setStarted(result);
      })
      .catch(fail);
  };

  const runPmAgent = () => {
    setNotice(null);
    setFailure(null);
    sendPlan<PlanDraftView>('POST', `/api/plans/${id}/pm-agent`, session.csrfToken, {
      version: draft.version,
    } satisfies PlanPmAgentRequest)
      .then(setWritten)
      .catch(fail);
  };

  const edges = draft.items.flatMap((i) => i.blockedBy.map((b) => ({ from: b, to: i.id })));
  return (
    <section className="page plan-page" aria-labelledby="plan-title">
      <p>
        <Link to="/plans">All plans</Link>
      </p>
      <h1 id="plan-title">{draft.title}</h1>
      <p className="muted">
        {draft.repo} · version {draft.version} · last changed by {draft.updatedBy}
        {readOnly && ' · started'}
      </p>
      <PresenceBar people={others} titleOf={titleOf} />
      {notice && (
        <p role="alert" className="error-notice">
          {notice}
        </p>
      )}
      {failure && <ErrorNotice what="Saving the plan" error={failure} />}

      {editing === 'details' ? (
        <DetailsForm
          draft={draft}
          onCancel={() => setEditing(null)}
          onSave={(title, brief) => save({ kind: 'details', title, brief })}
        />
      ) : (
        <>
          <p className="plan-text">{draft.brief || <span className="muted">No brief yet.</span>}</p>
          {!readOnly && (
            <button type="button" onClick={() => setEditing('details')}>
              Edit title and brief
            </button>
          )}
        </>
      )}

      {!readOnly && <PmAgentPanel draft={draft} onRun={runPmAgent} />}

      <h2>Proposed items</h2>
      {draft.items.length === 0 && <p className="empty">No items yet.</p>}
      <ol className="cards plan-items">
        {draft.items.map((item) => (
          <ItemCard
            key={item.id}
            item={item}
            siblings={draft.items}
            editors={others.filter((p) => p.editingItemId === item.id)}
            editing={editing === item.id}
            readOnly={readOnly}
            onEdit={() => setEditing(item.id)}
            onCancel={() => setEditing(null)}
            onSave={(fields: ItemFields) => save({ kind: 'update_item', itemId: item.id, changes: fields })}
            onRemove={() => save({ kind: 'remove_item', itemId: item.id })}
          />
        ))}
      </ol>
      {!readOnly &&
        (editing === 'new' ? (
          <ItemForm
            siblings={draft.items}
            onCancel={() => setEditing(null)}
            onSave={(item) => save({ kind: 'add_item', item })}
          />
        ) : (
          <button type="button" onClick={() => setEditing('new')}>
            Add an item
          </button>
        ))}

      <h2>Dependencies</h2>
      {edges.length === 0 ? (
        <p className="muted">No item waits for another.</p>
      ) : (
        <ul aria-label="Dependencies">
          {edges.map((e) => (
            <li key={`${e.from}-${e.to}`}>
              {titleOf(e.from)} → {titleOf(e.to)}
            </li>
          ))}
        </ul>
      )}

      {readOnly ? (
        <p>
          {started
            ? `Started: ${started.workItemIds.length} work items were requested. `
            : 'This plan was started. '}
          <Link to={`/graph?repo=${encodeURIComponent(draft.repo)}`}>See them in the graph</Link>
        </p>
      ) : confirming ? (
        <div role="group" aria-label="Confirm start" className="actions">
          <span>
            Create {draft.items.length} work items in {draft.repo}? The plan cannot be edited afterwards.
          </span>
          <HarnessSelect value={harness} onChange={setHarness} />
          <button type="button" onClick={start}>
            Yes, start
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button
          type="button"
          className="primary"
          // Its proposal would replace the items being started.
          disabled={draft.items.length === 0 || draft.planning?.state === 'planning'}
          onClick={() => setConfirming(true)}
        >
          Start
        </button>
      )}
    </section>
  );
}

function DetailsForm({
  draft,
  onCancel,
  onSave,
}: {
  draft: PlanDraftView;
  onCancel: () => void;
  onSave: (title: string, brief: string) => void;
}) {
  const [title, setTitle] = useState(draft.title);
  const [brief, setBrief] = useState(draft.brief);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSave(title, brief);
  };
  return (
    <form className="plan-form" onSubmit={submit}>
      <label htmlFor="plan-edit-title">Title</label>
      <input
        id="plan-edit-title"
        required
        maxLength={200}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
      />
      <label htmlFor="plan-edit-brief">Brief</label>
      <textarea id="plan-edit-brief" rows={5} value={brief} onChange={(e) => setBrief(e.target.value)} />
      <div className="actions">
        <button type="submit">Save title and brief</button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
