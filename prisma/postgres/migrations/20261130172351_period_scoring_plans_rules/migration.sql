-- AlterTable
ALTER TABLE "clusters" ADD COLUMN     "plans" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "rules" TEXT NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "indicators" ADD COLUMN     "aggregate" TEXT;

-- AlterTable
ALTER TABLE "periods" ADD COLUMN     "scoring" TEXT;


-- Periods stored before snapshots keep the scoring in force now (every active board takes part).
UPDATE "periods" SET "scoring" = '{"scoring":' || (SELECT "scoring" FROM "clusters" WHERE "clusters"."id" = "periods"."cluster_id") || ',"plans":{},"rules":[],"members":null}';
