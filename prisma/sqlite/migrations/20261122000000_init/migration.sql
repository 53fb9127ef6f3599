-- CreateTable
CREATE TABLE "clusters" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "timezone" TEXT NOT NULL DEFAULT 'Asia/Ho_Chi_Minh',
    "group_chat_id" BIGINT,
    "calendar" TEXT NOT NULL,
    "scoring" TEXT NOT NULL,
    "overrides" TEXT NOT NULL DEFAULT '{}',
    "config_hash" TEXT NOT NULL DEFAULT '',
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "boards" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cluster_id" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "short_name" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "boards_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "people" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "telegram_id" BIGINT NOT NULL,
    "first_name" TEXT NOT NULL DEFAULT '',
    "last_name" TEXT,
    "username" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'vi',
    "active_cluster_id" INTEGER,
    "blocked_at" DATETIME,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "memberships" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "person_id" INTEGER NOT NULL,
    "cluster_id" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "board_id" INTEGER,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" DATETIME,
    CONSTRAINT "memberships_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "memberships_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "memberships_board_id_fkey" FOREIGN KEY ("board_id") REFERENCES "boards" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "invitations" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cluster_id" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "board_id" INTEGER,
    "token_hash" TEXT NOT NULL,
    "expires_at" DATETIME NOT NULL,
    "used_at" DATETIME,
    "used_by_person_id" INTEGER,
    "created_by_person_id" INTEGER,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "invitations_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "invitations_board_id_fkey" FOREIGN KEY ("board_id") REFERENCES "boards" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "indicator_sets" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cluster_id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "indicator_sets_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "indicators" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "set_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "unit" TEXT NOT NULL DEFAULT '',
    "kind" TEXT NOT NULL,
    "min" REAL,
    "max" REAL,
    "required" BOOLEAN NOT NULL DEFAULT true,
    "weight" REAL NOT NULL DEFAULT 0,
    "better" TEXT NOT NULL DEFAULT 'higher',
    "target" REAL,
    "help" TEXT,
    CONSTRAINT "indicators_set_id_fkey" FOREIGN KEY ("set_id") REFERENCES "indicator_sets" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "periods" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cluster_id" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "quarter" INTEGER NOT NULL,
    "indicator_set_id" INTEGER NOT NULL,
    "opens_at" DATETIME NOT NULL,
    "deadline" DATETIME NOT NULL,
    "briefing_at" DATETIME NOT NULL,
    "summary_post_at" DATETIME NOT NULL,
    "moved_fields" TEXT NOT NULL DEFAULT '[]',
    "closed_at" DATETIME,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "periods_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "periods_indicator_set_id_fkey" FOREIGN KEY ("indicator_set_id") REFERENCES "indicator_sets" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "reports" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "period_id" INTEGER NOT NULL,
    "board_id" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "revision" INTEGER NOT NULL DEFAULT 0,
    "submitted_at" DATETIME,
    "submitted_by_person_id" INTEGER,
    "first_submitted_at" DATETIME,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "unlocked_until" DATETIME,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "reports_period_id_fkey" FOREIGN KEY ("period_id") REFERENCES "periods" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "reports_board_id_fkey" FOREIGN KEY ("board_id") REFERENCES "boards" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "report_values" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "report_id" INTEGER NOT NULL,
    "indicator_id" INTEGER NOT NULL,
    "number" REAL,
    "text" TEXT,
    "skipped" BOOLEAN NOT NULL DEFAULT false,
    "answered_by_person_id" INTEGER,
    "answered_at" DATETIME NOT NULL,
    CONSTRAINT "report_values_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "reports" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "report_values_indicator_id_fkey" FOREIGN KEY ("indicator_id") REFERENCES "indicators" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "audit_entries" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cluster_id" INTEGER,
    "actor_person_id" INTEGER,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "before" TEXT,
    "after" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "scheduled_actions" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "cluster_id" INTEGER NOT NULL,
    "period_id" INTEGER,
    "kind" TEXT NOT NULL,
    "due_at" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "detail" TEXT,
    "claimed_by" TEXT,
    "claimed_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" DATETIME,
    CONSTRAINT "scheduled_actions_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "message_deliveries" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "action_id" INTEGER NOT NULL,
    "chat_id" BIGINT NOT NULL,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "sent_at" DATETIME,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "message_deliveries_action_id_fkey" FOREIGN KEY ("action_id") REFERENCES "scheduled_actions" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "conversation_states" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "processed_updates" (
    "update_id" BIGINT NOT NULL PRIMARY KEY,
    "handled_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "clusters_code_key" ON "clusters"("code");

-- CreateIndex
CREATE UNIQUE INDEX "boards_cluster_id_code_key" ON "boards"("cluster_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "people_telegram_id_key" ON "people"("telegram_id");

-- CreateIndex
CREATE INDEX "memberships_cluster_id_role_idx" ON "memberships"("cluster_id", "role");

-- CreateIndex
CREATE INDEX "memberships_person_id_idx" ON "memberships"("person_id");

-- CreateIndex
CREATE UNIQUE INDEX "invitations_token_hash_key" ON "invitations"("token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "indicator_sets_cluster_id_version_key" ON "indicator_sets"("cluster_id", "version");

-- CreateIndex
CREATE UNIQUE INDEX "indicators_set_id_code_key" ON "indicators"("set_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "periods_cluster_id_year_quarter_key" ON "periods"("cluster_id", "year", "quarter");

-- CreateIndex
CREATE UNIQUE INDEX "reports_period_id_board_id_key" ON "reports"("period_id", "board_id");

-- CreateIndex
CREATE UNIQUE INDEX "report_values_report_id_indicator_id_key" ON "report_values"("report_id", "indicator_id");

-- CreateIndex
CREATE INDEX "audit_entries_cluster_id_at_idx" ON "audit_entries"("cluster_id", "at");

-- CreateIndex
CREATE INDEX "audit_entries_entity_entity_id_idx" ON "audit_entries"("entity", "entity_id");

-- CreateIndex
CREATE UNIQUE INDEX "scheduled_actions_key_key" ON "scheduled_actions"("key");

-- CreateIndex
CREATE INDEX "scheduled_actions_cluster_id_due_at_idx" ON "scheduled_actions"("cluster_id", "due_at");

-- CreateIndex
CREATE UNIQUE INDEX "message_deliveries_action_id_chat_id_key" ON "message_deliveries"("action_id", "chat_id");

-- CreateIndex
CREATE INDEX "processed_updates_handled_at_idx" ON "processed_updates"("handled_at");

