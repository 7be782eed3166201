-- The agent's tool calls over a run, as the runner counted them: a repository's trends read them.
ALTER TABLE "orchestrator"."Run" ADD COLUMN "toolCalls" INTEGER NOT NULL DEFAULT 0;
