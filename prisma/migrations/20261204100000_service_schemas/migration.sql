-- One Postgres schema per service, and one login role per service granted only its own schema
-- (issue #14). Tables and enum types move with their data (ALTER … SET SCHEMA); the one
-- cross-service foreign key (WorkItem.ownerId -> Identity) is dropped: owners are
-- owned by identity-broker, reached over RPC.

CREATE SCHEMA IF NOT EXISTS "ingress";
CREATE SCHEMA IF NOT EXISTS "orchestrator";
CREATE SCHEMA IF NOT EXISTS "sandbox";
CREATE SCHEMA IF NOT EXISTS "identity";
CREATE SCHEMA IF NOT EXISTS "notifier";
CREATE SCHEMA IF NOT EXISTS "mcp";
CREATE SCHEMA IF NOT EXISTS "forge";

ALTER TABLE "WorkItem" DROP CONSTRAINT IF EXISTS "WorkItem_ownerId_fkey";

-- orchestrator: work items, their dependencies, runs, artifacts, audit, its inbox and outbox
ALTER TYPE "WorkItemKind" SET SCHEMA "orchestrator";
ALTER TYPE "WorkItemState" SET SCHEMA "orchestrator";
ALTER TYPE "RunOutcome" SET SCHEMA "orchestrator";
ALTER TABLE "WorkItem" SET SCHEMA "orchestrator";
ALTER TABLE "WorkItemDependency" SET SCHEMA "orchestrator";
ALTER TABLE "Run" SET SCHEMA "orchestrator";
ALTER TABLE "Artifact" SET SCHEMA "orchestrator";
ALTER TABLE "AuditEvent" SET SCHEMA "orchestrator";
ALTER TABLE "ProcessedMessage" SET SCHEMA "orchestrator";
ALTER TABLE "OutboxEvent" SET SCHEMA "orchestrator";

-- sandbox-manager
ALTER TABLE "Sandbox" SET SCHEMA "sandbox";

-- identity-broker
ALTER TYPE "Provider" SET SCHEMA "identity";
ALTER TABLE "Identity" SET SCHEMA "identity";
ALTER TABLE "IdentityLink" SET SCHEMA "identity";
ALTER TABLE "Credential" SET SCHEMA "identity";

-- ingress
ALTER TABLE "InboxDelivery" SET SCHEMA "ingress";
ALTER TABLE "ApiToken" SET SCHEMA "ingress";

-- notifier
ALTER TABLE "NotificationDelivery" SET SCHEMA "notifier";
ALTER TABLE "NotificationRoute" SET SCHEMA "notifier";

-- mcp-context
ALTER TABLE "McpRevokedRun" SET SCHEMA "mcp";

-- the local forge
ALTER TABLE "ForgeRepository" SET SCHEMA "forge";
ALTER TABLE "ForgePullRequest" SET SCHEMA "forge";
ALTER TABLE "ForgeReview" SET SCHEMA "forge";
ALTER TABLE "ForgeComment" SET SCHEMA "forge";
ALTER TABLE "ForgeCheckRun" SET SCHEMA "forge";
ALTER TABLE "LocalProject" SET SCHEMA "forge";
ALTER TABLE "LocalIssue" SET SCHEMA "forge";
ALTER TABLE "LocalIssueRelation" SET SCHEMA "forge";
ALTER TABLE "LocalIssueComment" SET SCHEMA "forge";

-- The inbox of sandbox-manager and the outboxes of sandbox-manager and the forge: the same
-- tables as the orchestrator has, in their own schemas. Rows the shared outbox still held for
-- sandbox-manager moved with it to the orchestrator, whose relay publishes whatever it holds.
CREATE TABLE "sandbox"."ProcessedMessage" (
    "consumer" TEXT NOT NULL,
    "envelopeId" TEXT NOT NULL,
    "processedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ProcessedMessage_pkey" PRIMARY KEY ("consumer","envelopeId")
);

DO $$
DECLARE
  s TEXT;
BEGIN
  FOREACH s IN ARRAY ARRAY['sandbox', 'forge'] LOOP
    EXECUTE format('CREATE TABLE %I."OutboxEvent" (
        "seq" BIGSERIAL NOT NULL,
        "id" TEXT NOT NULL,
        "subject" TEXT NOT NULL,
        "envelope" JSONB NOT NULL,
        "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
        "sentAt" TIMESTAMPTZ(3),
        "attempts" INTEGER NOT NULL DEFAULT 0,
        "lastError" TEXT,
        CONSTRAINT "OutboxEvent_pkey" PRIMARY KEY ("seq")
      )', s);
    EXECUTE format('CREATE UNIQUE INDEX "OutboxEvent_id_key" ON %I."OutboxEvent"("id")', s);
    EXECUTE format('CREATE INDEX "OutboxEvent_sentAt_seq_idx" ON %I."OutboxEvent"("sentAt", "seq")', s);
  END LOOP;
END
$$;

-- One login role per service, granted only its own schema. Roles belong to the cluster, not
-- the database, so they are created once (two databases migrating at once may race: the
-- second duplicate is ignored). They have no password: the local stack trusts loopback; a
-- deployment sets one (ALTER ROLE hzn_<schema> PASSWORD …) and gives each service its URL.
DO $$
DECLARE
  s TEXT;
BEGIN
  FOREACH s IN ARRAY ARRAY['ingress', 'orchestrator', 'sandbox', 'identity', 'notifier', 'mcp', 'forge'] LOOP
    BEGIN
      EXECUTE format('CREATE ROLE %I LOGIN', 'hzn_' || s);
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, 'hzn_' || s);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', s, 'hzn_' || s);
    EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO %I', s, 'hzn_' || s);
    -- Tables and sequences later migrations add to the schema are granted as they are created.
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', s, 'hzn_' || s);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO %I', s, 'hzn_' || s);
  END LOOP;
END
$$;

-- Nothing of Horizon is left in "public" but the history of migrations; no service role
-- may create objects there or read it.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
