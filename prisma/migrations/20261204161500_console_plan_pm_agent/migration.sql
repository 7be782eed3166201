-- AlterTable
ALTER TABLE "console"."ConsolePlanDraft" ADD COLUMN     "planningError" TEXT,
ADD COLUMN     "planningState" TEXT,
ADD COLUMN     "planningWorkItemId" UUID;

-- CreateIndex
CREATE INDEX "ConsolePlanDraft_planningWorkItemId_idx" ON "console"."ConsolePlanDraft"("planningWorkItemId");

