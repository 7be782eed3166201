import { useEffect, useState } from 'react';
import type { PlanLiveEvent, PlanPresencePerson } from '../../../src/shared/console-api';
import { sendPlan } from './planApi';

/** How often the page says "still here"; the backend drops someone silent for 30 s. */
export const HEARTBEAT_MS = 10_000;

/**
 * Who else has the draft open (and which item they edit), and its newest version, from
 * `GET /api/plans/:id/live`. While mounted it sends a heartbeat every HEARTBEAT_MS and at once
 * whenever the item being edited changes, so the others see the marker move without waiting.
 */
export function usePlanLive(draftId: string, csrfToken: string, editingItemId: string | null) {
  const [people, setPeople] = useState<PlanPresencePerson[]>([]);
  const [latest, setLatest] = useState<{ version: number; by: string } | null>(null);

  useEffect(() => {
    const source = new EventSource(`/api/plans/${draftId}/live`);
    source.addEventListener('presence', (e: MessageEvent<string>) => {
      const event = JSON.parse(e.data) as PlanLiveEvent & { type: 'presence' };
      setPeople(event.people);
    });
    source.addEventListener('changed', (e: MessageEvent<string>) => {
      const event = JSON.parse(e.data) as PlanLiveEvent & { type: 'changed' };
      setLatest({ version: event.version, by: event.by });
    });
    return () => source.close();
  }, [draftId]);

  useEffect(() => {
    // A missed heartbeat only delays presence; the next one (or the next page load) corrects it.
    const beat = () =>
      void sendPlan('POST', `/api/plans/${draftId}/presence`, csrfToken, { editingItemId }).catch(() => {});
    beat();
    const timer = setInterval(beat, HEARTBEAT_MS);
    return () => clearInterval(timer);
  }, [draftId, csrfToken, editingItemId]);

  return { people, latest };
}
