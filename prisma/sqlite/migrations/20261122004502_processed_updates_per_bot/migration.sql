-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_processed_updates" (
    "bot_id" BIGINT NOT NULL,
    "update_id" BIGINT NOT NULL,
    "handled_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("bot_id", "update_id")
);
-- handled update ids are disposable (kept 48 h): not copied
DROP TABLE "processed_updates";
ALTER TABLE "new_processed_updates" RENAME TO "processed_updates";
CREATE INDEX "processed_updates_handled_at_idx" ON "processed_updates"("handled_at");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

