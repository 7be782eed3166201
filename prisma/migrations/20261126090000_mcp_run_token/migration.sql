-- CreateTable
CREATE TABLE "McpRevokedRun" (
    "runId" UUID NOT NULL,
    "revokedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "McpRevokedRun_pkey" PRIMARY KEY ("runId")
);

-- CreateIndex
CREATE INDEX "McpRevokedRun_expiresAt_idx" ON "McpRevokedRun"("expiresAt");
