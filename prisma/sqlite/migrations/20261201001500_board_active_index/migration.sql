-- CreateIndex
CREATE INDEX "boards_cluster_id_active_idx" ON "boards"("cluster_id", "active");
