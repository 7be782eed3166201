-- Generic webhook triggers: named, signed, filtered deliveries that start work items.

-- CreateTable
CREATE TABLE "ingress"."WebhookTrigger" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "repo" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "filter" JSONB,
    "titleTemplate" TEXT NOT NULL,
    "promptTemplate" TEXT NOT NULL,
    "labels" TEXT[],
    "secretKeyId" TEXT NOT NULL,
    "secretCiphertext" BYTEA NOT NULL,
    "secretIv" BYTEA NOT NULL,
    "secretAuthTag" BYTEA NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookTrigger_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "WebhookTrigger_name_key" ON "ingress"."WebhookTrigger"("name");

