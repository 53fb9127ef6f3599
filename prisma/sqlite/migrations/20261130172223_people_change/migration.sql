-- People change (#12): removal, cancelled invitations, the chair-term history, approval.
-- Columns are added in place (no table rewrite): every new column is nullable or has a default.

-- AlterTable
ALTER TABLE "clusters" ADD COLUMN "approval_required" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "memberships" ADD COLUMN "notice_at" DATETIME;
ALTER TABLE "memberships" ADD COLUMN "revoked_by_person_id" INTEGER;

-- AlterTable
ALTER TABLE "invitations" ADD COLUMN "cancelled_at" DATETIME;
ALTER TABLE "invitations" ADD COLUMN "cancelled_by_person_id" INTEGER;

-- AlterTable
ALTER TABLE "reports" ADD COLUMN "approval" TEXT NOT NULL DEFAULT 'none';
ALTER TABLE "reports" ADD COLUMN "approval_at" DATETIME;
ALTER TABLE "reports" ADD COLUMN "approval_by_person_id" INTEGER;
ALTER TABLE "reports" ADD COLUMN "return_reason" TEXT;

-- CreateTable
CREATE TABLE "chair_terms" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cluster_id" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "person_id" INTEGER NOT NULL,
    "board_id" INTEGER,
    "membership_id" INTEGER NOT NULL,
    "started_at" DATETIME NOT NULL,
    "ended_at" DATETIME,
    CONSTRAINT "chair_terms_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "chair_terms_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "chair_terms_board_id_fkey" FOREIGN KEY ("board_id") REFERENCES "boards" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "chair_terms_cluster_id_role_started_at_idx" ON "chair_terms"("cluster_id", "role", "started_at");

-- CreateIndex
CREATE INDEX "invitations_cluster_id_used_at_idx" ON "invitations"("cluster_id", "used_at");

-- The chairs and deputies of today start the history, from the day they joined.
INSERT INTO "chair_terms" ("cluster_id", "role", "person_id", "board_id", "membership_id", "started_at")
SELECT "cluster_id", "role", "person_id", "board_id", "id", "created_at" FROM "memberships"
WHERE "role" IN ('chair', 'deputy') AND "revoked_at" IS NULL;
