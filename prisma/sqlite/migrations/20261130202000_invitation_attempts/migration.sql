-- CreateTable
CREATE TABLE "invitation_attempts" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "person_id" INTEGER NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "invitation_attempts_person_id_at_idx" ON "invitation_attempts"("person_id", "at");
