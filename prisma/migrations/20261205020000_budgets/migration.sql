-- Budgets that pause and ask (issue #20): an item waits at a budget in `waiting`, with why and
-- what to go back to; a person's extra allowance for it; each repository's declared limits.
ALTER TYPE "orchestrator"."WorkItemState" ADD VALUE 'waiting';

-- AlterTable
ALTER TABLE "orchestrator"."WorkItem" ADD COLUMN "waitingFor" JSONB,
ADD COLUMN "budgetExtra" JSONB;

-- CreateTable
CREATE TABLE "orchestrator"."RepoBudgetSettings" (
    "repo" TEXT NOT NULL,
    "limits" JSONB NOT NULL,
    "commit" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RepoBudgetSettings_pkey" PRIMARY KEY ("repo")
);
