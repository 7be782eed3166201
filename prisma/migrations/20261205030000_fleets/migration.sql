-- AlterEnum
ALTER TYPE "orchestrator"."RunOutcome" ADD VALUE 'not_applicable';

-- CreateTable
CREATE TABLE "orchestrator"."Fleet" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "prompt" TEXT NOT NULL,
    "verify" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "selector" JSONB NOT NULL,
    "cap" INTEGER NOT NULL,
    "priority" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "ownerId" UUID,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Fleet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orchestrator"."FleetChild" (
    "fleetId" UUID NOT NULL,
    "repo" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "workItemId" UUID NOT NULL,
    "dispatchedAt" TIMESTAMPTZ(3),

    CONSTRAINT "FleetChild_pkey" PRIMARY KEY ("fleetId","repo")
);

-- CreateIndex
CREATE INDEX "Fleet_state_idx" ON "orchestrator"."Fleet"("state");

-- CreateIndex
CREATE UNIQUE INDEX "FleetChild_workItemId_key" ON "orchestrator"."FleetChild"("workItemId");

-- CreateIndex
CREATE INDEX "FleetChild_fleetId_dispatchedAt_position_idx" ON "orchestrator"."FleetChild"("fleetId", "dispatchedAt", "position");

-- AddForeignKey
ALTER TABLE "orchestrator"."FleetChild" ADD CONSTRAINT "FleetChild_fleetId_fkey" FOREIGN KEY ("fleetId") REFERENCES "orchestrator"."Fleet"("id") ON DELETE CASCADE ON UPDATE CASCADE;
