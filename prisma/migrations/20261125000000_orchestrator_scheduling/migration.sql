-- Orchestrator scheduling: the back-off an infra retry waits out before the scheduler may
-- start the item again, and when the watchdog last re-sent the step that leaves a state.
ALTER TABLE "WorkItem" ADD COLUMN "notBefore" TIMESTAMPTZ(3);
ALTER TABLE "WorkItem" ADD COLUMN "redrivenAt" TIMESTAMPTZ(3);
