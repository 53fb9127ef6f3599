-- AlterTable
ALTER TABLE "clusters" ADD COLUMN "signer_name" TEXT;
ALTER TABLE "clusters" ADD COLUMN "signer_position" TEXT;
