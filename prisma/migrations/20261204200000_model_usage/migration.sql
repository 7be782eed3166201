-- CreateTable
CREATE TABLE "orchestrator"."ModelUsage" (
    "id" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT,
    "inputTokens" INTEGER NOT NULL,
    "outputTokens" INTEGER NOT NULL,
    "cachedInputTokens" INTEGER NOT NULL,
    "cacheWriteInputTokens" INTEGER NOT NULL,
    "reported" BOOLEAN NOT NULL,
    "status" INTEGER NOT NULL,
    "costUsd" DECIMAL(12,6),
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ModelUsage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ModelUsage_runId_idx" ON "orchestrator"."ModelUsage"("runId");

-- CreateIndex
CREATE INDEX "ModelUsage_at_idx" ON "orchestrator"."ModelUsage"("at");

-- AddForeignKey
ALTER TABLE "orchestrator"."ModelUsage" ADD CONSTRAINT "ModelUsage_runId_fkey" FOREIGN KEY ("runId") REFERENCES "orchestrator"."Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
