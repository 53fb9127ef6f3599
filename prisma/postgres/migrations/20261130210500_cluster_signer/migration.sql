-- AlterTable
ALTER TABLE "clusters" ADD COLUMN     "signer_name" TEXT,
ADD COLUMN     "signer_position" TEXT;
