-- A status update's source event's stream sequence: an older event, handled late, never overwrites a newer status.
ALTER TABLE "NotificationDelivery" ADD COLUMN "updateSeq" BIGINT
