-- handled update ids are disposable (kept 48 h): dropped rather than given a bot id
DELETE FROM "processed_updates";

-- AlterTable
ALTER TABLE "processed_updates" DROP CONSTRAINT "processed_updates_pkey",
ADD COLUMN     "bot_id" BIGINT NOT NULL,
ADD CONSTRAINT "processed_updates_pkey" PRIMARY KEY ("bot_id", "update_id");