-- The console's read model of runs: which work item each run is for, and the transcript lines
-- of hzn.evt.run.progress, which no other service keeps. New tables in "console" are granted
-- to hzn_console by the schema's default privileges.
-- CreateTable
CREATE TABLE "console"."ConsoleRun" (
    "runId" UUID NOT NULL,
    "workItemId" UUID NOT NULL,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ConsoleRun_pkey" PRIMARY KEY ("runId")
);

-- CreateTable
CREATE TABLE "console"."ConsoleRunEntry" (
    "runId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "workItemId" UUID NOT NULL,
    "phase" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ConsoleRunEntry_pkey" PRIMARY KEY ("runId","seq")
);

-- CreateIndex
CREATE INDEX "ConsoleRun_workItemId_idx" ON "console"."ConsoleRun"("workItemId");

