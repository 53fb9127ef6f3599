-- AlterTable
ALTER TABLE "clusters" ADD COLUMN     "place" TEXT;

-- AlterTable
ALTER TABLE "indicators" ADD COLUMN     "section" TEXT;
