-- CreateTable
CREATE TABLE "orchestrator"."Schedule" (
    "id" UUID NOT NULL,
    "repo" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "prompt" TEXT NOT NULL,
    "flavour" TEXT NOT NULL,
    "ownerId" TEXT,
    "origin" TEXT NOT NULL,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "nextTickAt" TIMESTAMPTZ(3),
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Schedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orchestrator"."ScheduleFiring" (
    "scheduleId" UUID NOT NULL,
    "tickAt" TIMESTAMPTZ(3) NOT NULL,
    "firedAt" TIMESTAMPTZ(3) NOT NULL,
    "skippedTicks" INTEGER NOT NULL,
    "workItemId" UUID NOT NULL,
    "firedBy" TEXT NOT NULL,

    CONSTRAINT "ScheduleFiring_pkey" PRIMARY KEY ("scheduleId","tickAt")
);

-- CreateIndex
CREATE INDEX "Schedule_nextTickAt_idx" ON "orchestrator"."Schedule"("nextTickAt");

-- CreateIndex
CREATE UNIQUE INDEX "Schedule_repo_name_key" ON "orchestrator"."Schedule"("repo", "name");

