import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import type { FleetView } from '../../../src/shared/console-api';
import { ApiFailure, postJson } from '../api/client';
import { useSession } from '../session/SessionProvider';
import { ErrorNotice } from '../shell/ErrorNotice';

/** `owner/name` lines (or commas) into a list; blank lines ignored. */
export function repoList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((r) => r.trim())
    .filter(Boolean);
}

/**
 * A new fleet: a title, what to do, and the repositories (listed, or a glob over those Horizon
 * knows), at most `cap` at once. The backend says precisely what it refuses; the form shows it.
 */
export function NewFleetForm() {
  const { session } = useSession();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [prompt, setPrompt] = useState('');
  const [by, setBy] = useState<'repos' | 'glob'>('repos');
  const [repos, setRepos] = useState('');
  const [glob, setGlob] = useState('');
  const [verify, setVerify] = useState('');
  const [cap, setCap] = useState(10);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    const commands = verify
      .split('\n')
      .map((c) => c.trim())
      .filter(Boolean);
    const body = {
      title,
      prompt,
      selector: by === 'repos' ? { repos: repoList(repos) } : { glob },
      cap,
      ...(commands.length > 0 ? { verify: commands } : {}),
    };
    setSending(true);
    postJson<FleetView>('/api/fleets', session.csrfToken, body)
      .then((fleet) => navigate(`/fleets/${fleet.id}`))
      .catch((err: unknown) =>
        setFailure(err instanceof ApiFailure ? err : new ApiFailure('/api/fleets', 0, String(err))),
      )
      .finally(() => setSending(false));
  };

  return (
    <form className="plan-form" onSubmit={submit} aria-labelledby="new-fleet-title">
      <h2 id="new-fleet-title">New fleet</h2>
      {failure && <ErrorNotice what="Creating the fleet" error={failure} />}
      <label htmlFor="fleet-title">Title</label>
      <input
        id="fleet-title"
        required
        maxLength={300}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
      />
      <label htmlFor="fleet-prompt">What to do in each repository</label>
      <textarea
        id="fleet-prompt"
        required
        rows={4}
        value={prompt}
        onChange={(e) => setPrompt(e.target.value)}
      />
      <fieldset>
        <legend>Repositories</legend>
        <label className="check">
          <input type="radio" name="fleet-by" checked={by === 'repos'} onChange={() => setBy('repos')} /> A
          list
        </label>
        <label className="check">
          <input type="radio" name="fleet-by" checked={by === 'glob'} onChange={() => setBy('glob')} /> A glob
          over the repositories Horizon knows
        </label>
        {by === 'repos' ? (
          <>
            <label htmlFor="fleet-repos">owner/name, one per line</label>
            <textarea
              id="fleet-repos"
              required
              rows={4}
              value={repos}
              onChange={(e) => setRepos(e.target.value)}
            />
          </>
        ) : (
          <>
            <label htmlFor="fleet-glob">Glob (e.g. acme/svc-*)</label>
            <input
              id="fleet-glob"
              required
              maxLength={200}
              value={glob}
              onChange={(e) => setGlob(e.target.value)}
            />
          </>
        )}
      </fieldset>
      <label htmlFor="fleet-verify">
        Verification commands instead of each repository's own (optional, one per line)
      </label>
      <textarea id="fleet-verify" rows={2} value={verify} onChange={(e) => setVerify(e.target.value)} />
      <label htmlFor="fleet-cap">At most this many at once</label>
      <input
        id="fleet-cap"
        type="number"
        min={1}
        max={1000}
        required
        value={cap}
        onChange={(e) => setCap(Number(e.target.value))}
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={sending}>
          {sending ? 'Creating…' : 'Create fleet'}
        </button>
      </div>
    </form>
  );
}
