import type { WorkItemView } from '../../../src/shared/console-api';
import { useMemberOf } from '../session/roles';
import { ErrorNotice } from '../shell/ErrorNotice';
import { useSteering } from './useSteering';

export interface OneClickRequest {
  /** The steering request it posts (`…/retry`, `…/start`). */
  action: 'retry' | 'start';
  /** Whether the item, as it is now, takes the request: the button shows only then. */
  offered: boolean;
  label: string;
  busyLabel: string;
  /** What failed, for the error notice ("Retrying failed: …"). */
  doing: string;
  /** What the request does to this item, beside the button. */
  what: string;
  /** What the person is told once the request is on the bus. */
  sent: string;
}

/**
 * A steering request with nothing to choose, one click for members of the item's repository
 * (viewers do not see it). Retry and Start share it so they look and behave alike: the button
 * goes once the live stream says the item moved on, and a refusal says why with a way to try
 * again.
 */
export function OneClickSteering({
  item,
  request,
}: {
  item: Pick<WorkItemView, 'id' | 'repo'>;
  request: OneClickRequest;
}) {
  const member = useMemberOf(item.repo);
  const { step, send } = useSteering(item.id, request.action);
  if (!member || !request.offered) return null;
  const whatId = `${request.action}-what`;

  return (
    <div className="steering">
      <button
        type="button"
        className="primary"
        disabled={step.name === 'sending' || step.name === 'sent'}
        aria-describedby={whatId}
        onClick={() => void send()}
      >
        {step.name === 'sending' ? request.busyLabel : request.label}
      </button>{' '}
      <span id={whatId} className="muted">
        {request.what}
      </span>
      {step.name === 'sent' && <p role="status">{request.sent}</p>}
      {step.name === 'failed' && (
        <ErrorNotice what={request.doing} error={step.error} onRetry={() => void send()} />
      )}
    </div>
  );
}
