-- The papercuts runs met, one row per run and signature: what the retro loop counts across runs.
CREATE TABLE "orchestrator"."RunFriction" (
    "runId" UUID NOT NULL,
    "signature" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "evidence" INTEGER[],
    "repo" TEXT NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RunFriction_pkey" PRIMARY KEY ("runId","signature")
);

CREATE INDEX "RunFriction_repo_recordedAt_idx" ON "orchestrator"."RunFriction"("repo", "recordedAt");

ALTER TABLE "orchestrator"."RunFriction" ADD CONSTRAINT "RunFriction_runId_fkey" FOREIGN KEY ("runId") REFERENCES "orchestrator"."Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
