-- Labels on the local forge's pull requests (issue #16), kept as GitHub keeps them: a
-- repository's labels, and which pull request carries which. New tables in "forge" are granted
-- to hzn_forge by the schema's default privileges (20261204100000_service_schemas).

CREATE TABLE "forge"."ForgeLabel" (
    "id" SERIAL NOT NULL,
    "repositoryId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "color" TEXT NOT NULL DEFAULT 'ededed',
    "description" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ForgeLabel_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "forge"."ForgePullRequestLabel" (
    "pullRequestId" INTEGER NOT NULL,
    "labelId" INTEGER NOT NULL,
    "addedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ForgePullRequestLabel_pkey" PRIMARY KEY ("pullRequestId","labelId")
);

CREATE UNIQUE INDEX "ForgeLabel_repositoryId_name_key" ON "forge"."ForgeLabel"("repositoryId", "name");

CREATE INDEX "ForgePullRequestLabel_labelId_idx" ON "forge"."ForgePullRequestLabel"("labelId");

ALTER TABLE "forge"."ForgeLabel" ADD CONSTRAINT "ForgeLabel_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "forge"."ForgeRepository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "forge"."ForgePullRequestLabel" ADD CONSTRAINT "ForgePullRequestLabel_pullRequestId_fkey" FOREIGN KEY ("pullRequestId") REFERENCES "forge"."ForgePullRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "forge"."ForgePullRequestLabel" ADD CONSTRAINT "ForgePullRequestLabel_labelId_fkey" FOREIGN KEY ("labelId") REFERENCES "forge"."ForgeLabel"("id") ON DELETE CASCADE ON UPDATE CASCADE;
