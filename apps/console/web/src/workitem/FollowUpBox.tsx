import { useId, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { FOLLOW_UP_MAX_CHARS, noRunInFlight, type WorkItemView } from '../../../src/shared/console-api';
import { useMemberOf } from '../session/roles';
import { useSession } from '../session/SessionProvider';
import { ErrorNotice } from '../shell/ErrorNotice';
import { useSteering } from './useSteering';
import './steering.css';

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1) + '.';

/**
 * A message box for members: what they write goes to the agent at work on the item, with their
 * name. It is there, disabled and saying why, while no run is in flight. The transcript shows the
 * message once the agent has it (the runner reports each follow-up it receives).
 */
export function FollowUpBox({
  item,
  running,
  idleNote,
}: {
  item: Pick<WorkItemView, 'id' | 'repo' | 'state'>;
  /** Whether a run of the item is in flight: only then is anyone there to read it. */
  running: boolean;
  /** What to say instead of the item's own reason while not running (an older run's page). */
  idleNote?: ReactNode;
}) {
  const { session } = useSession();
  const member = useMemberOf(item.repo);
  const { step, send } = useSteering(item.id, 'follow-ups');
  const [text, setText] = useState('');
  const id = useId();
  if (!member) return null;

  const trimmed = text.trim();
  const over = trimmed.length - FOLLOW_UP_MAX_CHARS;
  const sending = step.name === 'sending';
  const ready = running && trimmed !== '' && over <= 0 && !sending;

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (ready && (await send({ text: trimmed }))) setText('');
  };
  // Enter writes a new line, as in any text box; Ctrl+Enter (⌘+Enter) sends.
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void submit(event);
  };

  return (
    <section aria-labelledby={`${id}-title`} className="follow-up">
      <h2 id={`${id}-title`}>Message the agent</h2>
      <form onSubmit={submit}>
        <label htmlFor={`${id}-text`}>Your message</label>
        <textarea
          id={`${id}-text`}
          rows={3}
          value={text}
          disabled={!running}
          aria-describedby={`${id}-help`}
          aria-invalid={over > 0}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <p id={`${id}-help`} className={over > 0 ? 'verification-failed' : 'muted'}>
          {!running
            ? (idleNote ?? sentence(noRunInFlight(item.state)))
            : over > 0
              ? `${over} characters too long: a message holds at most ${FOLLOW_UP_MAX_CHARS}. Shorten it or send it in parts.`
              : `The agent reads it as written by ${session.person.name}, in the turn it is in or the next one. Ctrl+Enter sends.`}
        </p>
        <div className="actions">
          <button type="submit" className="primary" disabled={!ready}>
            {sending ? 'Sending…' : 'Send to the agent'}
          </button>
        </div>
      </form>
      {step.name === 'sent' && <p role="status">Sent; it shows in the transcript once the agent has it.</p>}
      {step.name === 'failed' && <ErrorNotice what="Sending your message" error={step.error} />}
    </section>
  );
}
