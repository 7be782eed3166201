import type { WorkItemView } from '../../../src/shared/console-api';
import { OneClickSteering } from './OneClickSteering';

/**
 * Start for members when the item waits in `planned` for a person: a retro's proposal, one
 * created without auto-start, one its blockers released. Without Linear this is where it is
 * started (Cancel beside it rejects it).
 */
export function StartButton({ item }: { item: Pick<WorkItemView, 'id' | 'repo' | 'state'> }) {
  return (
    <OneClickSteering
      item={item}
      request={{
        action: 'start',
        offered: item.state === 'planned',
        label: 'Start',
        busyLabel: 'Starting…',
        doing: 'Starting',
        what: 'It is planned: it waits for a person. Starting queues it, and its run starts when Horizon has room.',
        sent: 'Start requested; the item is queued and its run starts once Horizon has taken it.',
      }}
    />
  );
}
