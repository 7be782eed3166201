-- `.horizon/config.yaml` `review.enabled`: false turns the agent review off for the repository.
ALTER TABLE "orchestrator"."RepoReviewSettings" ADD COLUMN "enabled" BOOLEAN NOT NULL DEFAULT true;
