-- AlterTable
ALTER TABLE "clusters" ADD COLUMN     "linked_group_chat_id" BIGINT;

