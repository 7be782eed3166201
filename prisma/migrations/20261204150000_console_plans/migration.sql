-- Plan drafts: what several people shape in the console before its items become work items.

-- CreateEnum
CREATE TYPE "console"."ConsolePlanStatus" AS ENUM ('draft', 'started');

-- CreateTable
CREATE TABLE "console"."ConsolePlanDraft" (
    "id" UUID NOT NULL,
    "repo" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "brief" TEXT NOT NULL,
    "status" "console"."ConsolePlanStatus" NOT NULL DEFAULT 'draft',
    "version" INTEGER NOT NULL DEFAULT 1,
    "items" JSONB NOT NULL DEFAULT '[]',
    "createdBy" TEXT NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ConsolePlanDraft_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ConsolePlanDraft_repo_updatedAt_idx" ON "console"."ConsolePlanDraft"("repo", "updatedAt");

