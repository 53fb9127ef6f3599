-- AlterTable
ALTER TABLE "clusters" ADD COLUMN     "approval_required" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "memberships" ADD COLUMN     "notice_at" TIMESTAMP(3),
ADD COLUMN     "revoked_by_person_id" INTEGER;

-- AlterTable
ALTER TABLE "invitations" ADD COLUMN     "cancelled_at" TIMESTAMP(3),
ADD COLUMN     "cancelled_by_person_id" INTEGER;

-- AlterTable
ALTER TABLE "reports" ADD COLUMN     "approval" TEXT NOT NULL DEFAULT 'none',
ADD COLUMN     "approval_at" TIMESTAMP(3),
ADD COLUMN     "approval_by_person_id" INTEGER,
ADD COLUMN     "return_reason" TEXT;

-- CreateTable
CREATE TABLE "chair_terms" (
    "id" SERIAL NOT NULL,
    "cluster_id" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "person_id" INTEGER NOT NULL,
    "board_id" INTEGER,
    "membership_id" INTEGER NOT NULL,
    "started_at" TIMESTAMP(3) NOT NULL,
    "ended_at" TIMESTAMP(3),

    CONSTRAINT "chair_terms_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "chair_terms_cluster_id_role_started_at_idx" ON "chair_terms"("cluster_id", "role", "started_at");

-- CreateIndex
CREATE INDEX "invitations_cluster_id_used_at_idx" ON "invitations"("cluster_id", "used_at");

-- AddForeignKey
ALTER TABLE "chair_terms" ADD CONSTRAINT "chair_terms_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chair_terms" ADD CONSTRAINT "chair_terms_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chair_terms" ADD CONSTRAINT "chair_terms_board_id_fkey" FOREIGN KEY ("board_id") REFERENCES "boards"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- The chairs and deputies of today start the history, from the day they joined.
INSERT INTO "chair_terms" ("cluster_id", "role", "person_id", "board_id", "membership_id", "started_at")
SELECT "cluster_id", "role", "person_id", "board_id", "id", "created_at" FROM "memberships"
WHERE "role" IN ('chair', 'deputy') AND "revoked_at" IS NULL;
