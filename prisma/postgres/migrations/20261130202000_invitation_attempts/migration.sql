-- CreateTable
CREATE TABLE "invitation_attempts" (
    "id" SERIAL NOT NULL,
    "person_id" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "invitation_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "invitation_attempts_person_id_at_idx" ON "invitation_attempts"("person_id", "at");
