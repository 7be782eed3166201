-- The console's own schema: people, their per-repository roles, one-time sign-in links,
-- browser sessions and the audit of what they did. Reachable only by the role hzn_console.

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "console";

-- CreateEnum
CREATE TYPE "console"."ConsoleRole" AS ENUM ('viewer', 'member', 'admin');

-- CreateTable
CREATE TABLE "console"."ConsolePerson" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "identityId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsolePerson_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "console"."ConsoleGrant" (
    "personId" UUID NOT NULL,
    "repo" TEXT NOT NULL,
    "role" "console"."ConsoleRole" NOT NULL,

    CONSTRAINT "ConsoleGrant_pkey" PRIMARY KEY ("personId","repo")
);

-- CreateTable
CREATE TABLE "console"."ConsoleSignInLink" (
    "tokenHash" TEXT NOT NULL,
    "personId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ConsoleSignInLink_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateTable
CREATE TABLE "console"."ConsoleSession" (
    "tokenHash" TEXT NOT NULL,
    "personId" UUID NOT NULL,
    "csrfToken" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ConsoleSession_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateTable
CREATE TABLE "console"."ConsoleAudit" (
    "id" UUID NOT NULL,
    "personId" UUID,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsoleAudit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ConsolePerson_name_key" ON "console"."ConsolePerson"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ConsolePerson_identityId_key" ON "console"."ConsolePerson"("identityId");

-- CreateIndex
CREATE INDEX "ConsoleSignInLink_personId_idx" ON "console"."ConsoleSignInLink"("personId");

-- CreateIndex
CREATE INDEX "ConsoleSession_personId_idx" ON "console"."ConsoleSession"("personId");

-- CreateIndex
CREATE INDEX "ConsoleAudit_at_idx" ON "console"."ConsoleAudit"("at");

-- AddForeignKey
ALTER TABLE "console"."ConsoleGrant" ADD CONSTRAINT "ConsoleGrant_personId_fkey" FOREIGN KEY ("personId") REFERENCES "console"."ConsolePerson"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "console"."ConsoleSignInLink" ADD CONSTRAINT "ConsoleSignInLink_personId_fkey" FOREIGN KEY ("personId") REFERENCES "console"."ConsolePerson"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "console"."ConsoleSession" ADD CONSTRAINT "ConsoleSession_personId_fkey" FOREIGN KEY ("personId") REFERENCES "console"."ConsolePerson"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The console's login role, granted only its schema (as 20261204100000_service_schemas does
-- for the other services; a role is the cluster's, so a second database finds it made).
DO $$
BEGIN
  BEGIN
    CREATE ROLE hzn_console LOGIN;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
  END;
  GRANT USAGE ON SCHEMA console TO hzn_console;
  GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA console TO hzn_console;
  GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA console TO hzn_console;
  ALTER DEFAULT PRIVILEGES IN SCHEMA console GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO hzn_console;
  ALTER DEFAULT PRIVILEGES IN SCHEMA console GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO hzn_console;
END
$$;
