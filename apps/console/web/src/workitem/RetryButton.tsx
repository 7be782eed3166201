import { RETRYABLE_STATES, type WorkItemView } from '../../../src/shared/console-api';
import { OneClickSteering } from './OneClickSteering';

/**
 * Retry for members when the item ended without its work done (failed, cancelled, timed out):
 * Horizon queues it again and starts a new run.
 */
export function RetryButton({ item }: { item: Pick<WorkItemView, 'id' | 'repo' | 'state'> }) {
  return (
    <OneClickSteering
      item={item}
      request={{
        action: 'retry',
        offered: RETRYABLE_STATES.includes(item.state),
        label: 'Retry',
        busyLabel: 'Retrying…',
        doing: 'Retrying',
        what: `It is ${item.state.replace('_', ' ')}: a retry queues it again and starts a new run.`,
        sent: 'Retry requested; the item is queued again and a new run starts once Horizon has taken it.',
      }}
    />
  );
}
