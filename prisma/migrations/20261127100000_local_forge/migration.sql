-- The local forge (apps/forge) and the local tracker: repositories, pull requests, reviews,
-- comments and check runs, then projects, issues, their relations and comments.

-- CreateTable
CREATE TABLE "ForgeRepository" (
    "id" SERIAL NOT NULL,
    "owner" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "defaultBranch" TEXT NOT NULL,
    "nextNumber" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ForgeRepository_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ForgePullRequest" (
    "id" SERIAL NOT NULL,
    "repositoryId" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT,
    "headRef" TEXT NOT NULL,
    "headSha" TEXT NOT NULL,
    "baseRef" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "merged" BOOLEAN NOT NULL DEFAULT false,
    "mergedBy" TEXT,
    "mergeCommitSha" TEXT,
    "mergedBaseSha" TEXT,
    "requestedReviewers" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ForgePullRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ForgeReview" (
    "id" SERIAL NOT NULL,
    "pullRequestId" INTEGER NOT NULL,
    "author" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "body" TEXT,
    "commitSha" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ForgeReview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ForgeComment" (
    "id" SERIAL NOT NULL,
    "pullRequestId" INTEGER NOT NULL,
    "reviewId" INTEGER,
    "author" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "path" TEXT,
    "line" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ForgeComment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ForgeCheckRun" (
    "id" SERIAL NOT NULL,
    "repositoryId" INTEGER NOT NULL,
    "headSha" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "conclusion" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ForgeCheckRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LocalProject" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "content" TEXT NOT NULL DEFAULT '',
    "nextNumber" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LocalProject_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LocalIssue" (
    "id" UUID NOT NULL,
    "projectId" UUID,
    "identifier" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'backlog',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMPTZ(3),

    CONSTRAINT "LocalIssue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LocalIssueRelation" (
    "id" UUID NOT NULL,
    "blockerId" UUID NOT NULL,
    "blockedId" UUID NOT NULL,

    CONSTRAINT "LocalIssueRelation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LocalIssueComment" (
    "id" UUID NOT NULL,
    "issueId" UUID,
    "agentSessionId" TEXT,
    "body" TEXT NOT NULL,
    "content" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LocalIssueComment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ForgeRepository_owner_name_key" ON "ForgeRepository"("owner", "name");

-- CreateIndex
CREATE INDEX "ForgePullRequest_repositoryId_headRef_state_idx" ON "ForgePullRequest"("repositoryId", "headRef", "state");

-- CreateIndex
CREATE UNIQUE INDEX "ForgePullRequest_repositoryId_number_key" ON "ForgePullRequest"("repositoryId", "number");

-- CreateIndex
CREATE INDEX "ForgeReview_pullRequestId_createdAt_idx" ON "ForgeReview"("pullRequestId", "createdAt");

-- CreateIndex
CREATE INDEX "ForgeComment_pullRequestId_createdAt_idx" ON "ForgeComment"("pullRequestId", "createdAt");

-- CreateIndex
CREATE INDEX "ForgeCheckRun_repositoryId_headSha_idx" ON "ForgeCheckRun"("repositoryId", "headSha");

-- CreateIndex
CREATE UNIQUE INDEX "LocalProject_key_key" ON "LocalProject"("key");

-- CreateIndex
CREATE UNIQUE INDEX "LocalIssue_identifier_key" ON "LocalIssue"("identifier");

-- CreateIndex
CREATE INDEX "LocalIssue_projectId_idx" ON "LocalIssue"("projectId");

-- CreateIndex
CREATE UNIQUE INDEX "LocalIssueRelation_blockerId_blockedId_key" ON "LocalIssueRelation"("blockerId", "blockedId");

-- CreateIndex
CREATE INDEX "LocalIssueComment_issueId_idx" ON "LocalIssueComment"("issueId");

-- CreateIndex
CREATE INDEX "LocalIssueComment_agentSessionId_idx" ON "LocalIssueComment"("agentSessionId");

-- AddForeignKey
ALTER TABLE "ForgePullRequest" ADD CONSTRAINT "ForgePullRequest_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "ForgeRepository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ForgeReview" ADD CONSTRAINT "ForgeReview_pullRequestId_fkey" FOREIGN KEY ("pullRequestId") REFERENCES "ForgePullRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ForgeComment" ADD CONSTRAINT "ForgeComment_pullRequestId_fkey" FOREIGN KEY ("pullRequestId") REFERENCES "ForgePullRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ForgeComment" ADD CONSTRAINT "ForgeComment_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "ForgeReview"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ForgeCheckRun" ADD CONSTRAINT "ForgeCheckRun_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "ForgeRepository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LocalIssue" ADD CONSTRAINT "LocalIssue_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "LocalProject"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LocalIssueRelation" ADD CONSTRAINT "LocalIssueRelation_blockerId_fkey" FOREIGN KEY ("blockerId") REFERENCES "LocalIssue"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LocalIssueRelation" ADD CONSTRAINT "LocalIssueRelation_blockedId_fkey" FOREIGN KEY ("blockedId") REFERENCES "LocalIssue"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LocalIssueComment" ADD CONSTRAINT "LocalIssueComment_issueId_fkey" FOREIGN KEY ("issueId") REFERENCES "LocalIssue"("id") ON DELETE CASCADE ON UPDATE CASCADE;

