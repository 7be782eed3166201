-- `.horizon/config.yaml` `agent.harness` may name a harness per flavour: the map's flavours beside
-- the harness for every other flavour (`harness`). Null for a repository that names one for all.
ALTER TABLE "orchestrator"."RepoAgentSettings" ADD COLUMN "harnessByFlavour" JSONB;
