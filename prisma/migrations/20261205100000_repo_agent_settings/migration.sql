-- A repository's `.horizon/config.yaml` `agent:` settings, as its newest default-branch snapshot declared them.
CREATE TABLE "orchestrator"."RepoAgentSettings" (
    "repo" TEXT NOT NULL,
    "harness" TEXT,
    "commit" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RepoAgentSettings_pkey" PRIMARY KEY ("repo")
);
