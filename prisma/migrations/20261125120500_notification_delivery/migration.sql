-- CreateTable
CREATE TABLE "NotificationDelivery" (
    "dedupeKey" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "target" JSONB NOT NULL,
    "updateKey" TEXT,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "externalId" TEXT,
    "leaseUntil" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMPTZ(3),

    CONSTRAINT "NotificationDelivery_pkey" PRIMARY KEY ("dedupeKey")
);

-- CreateTable
CREATE TABLE "NotificationRoute" (
    "workItemId" UUID NOT NULL,
    "title" TEXT,
    "sourceRefs" JSONB NOT NULL DEFAULT '{}',
    "lastRun" JSONB,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NotificationRoute_pkey" PRIMARY KEY ("workItemId")
);

-- CreateIndex
CREATE INDEX "NotificationDelivery_channel_updateKey_idx" ON "NotificationDelivery"("channel", "updateKey");

