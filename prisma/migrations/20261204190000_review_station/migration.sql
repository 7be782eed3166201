-- The agent review station (issue #16): review work items, and each repository's review settings.
ALTER TYPE "orchestrator"."WorkItemKind" ADD VALUE 'review';

-- CreateTable
CREATE TABLE "orchestrator"."RepoReviewSettings" (
    "repo" TEXT NOT NULL,
    "humanPullRequests" BOOLEAN NOT NULL,
    "selfRevisions" INTEGER NOT NULL,
    "commit" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RepoReviewSettings_pkey" PRIMARY KEY ("repo")
);
