-- AlterTable
ALTER TABLE "memberships" ADD COLUMN "notice_claimed_at" DATETIME;
