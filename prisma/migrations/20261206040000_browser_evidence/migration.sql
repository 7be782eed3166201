-- Browser verification's evidence (issue #18), kept where people look at it: the console's run
-- page (results and every screenshot, DOM snapshot and visual diff) and the notifier's links
-- from the pull request (change screenshots and diffs). New tables in "console" and "notifier"
-- are granted to hzn_console and hzn_notifier by their schemas' default privileges.

CREATE TABLE "console"."ConsoleRunEvidence" (
    "artifactId" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "page" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "changedRatio" DOUBLE PRECISION,
    "streamSeq" BIGINT NOT NULL,

    CONSTRAINT "ConsoleRunEvidence_pkey" PRIMARY KEY ("artifactId")
);

CREATE INDEX "ConsoleRunEvidence_runId_idx" ON "console"."ConsoleRunEvidence"("runId");

CREATE TABLE "notifier"."NotificationBrowserEvidence" (
    "artifactId" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "page" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "changedRatio" DOUBLE PRECISION,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NotificationBrowserEvidence_pkey" PRIMARY KEY ("artifactId")
);

CREATE INDEX "NotificationBrowserEvidence_runId_idx" ON "notifier"."NotificationBrowserEvidence"("runId");
