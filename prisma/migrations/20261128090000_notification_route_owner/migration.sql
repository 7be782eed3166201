-- AlterTable
ALTER TABLE "NotificationRoute" ADD COLUMN     "ownerId" TEXT;
