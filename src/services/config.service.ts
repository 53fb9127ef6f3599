// Applying a validated cluster configuration: the cluster, its boards and a new
// indicator-set version when the indicators changed; then the dates of periods that
// have not closed follow the new calendar (dates a chair moved by hand stay).

import { configHash, indicatorSetHash } from "../cluster-config/hash.ts";
import type { ClusterConfig } from "../cluster-config/schema.ts";
import type { ApplyOutcome } from "../db/cluster.repository.ts";
import type { Repositories } from "../db/index.ts";
import type { Clock } from "./clock.ts";
import type { PeriodService } from "./period.service.ts";

export function createConfigService(repos: Repositories, periods: PeriodService, clock: Clock) {
  return {
    async apply(config: ClusterConfig): Promise<ApplyOutcome> {
      const now = clock.now();
      const outcome = await repos.clusters.apply(
        {
          code: config.cluster.code,
          name: config.cluster.name,
          timezone: config.cluster.timezone,
          groupChatId: config.cluster.groupChatId ? BigInt(config.cluster.groupChatId) : null,
          calendar: config.calendar,
          scoring: config.scoring,
          overrides: config.periods,
          plans: config.plans,
          rules: config.rules,
          approvalRequired: config.approval === "required",
          place: config.cluster.place,
          signer: config.cluster.signer,
          boards: config.boards,
          indicators: config.indicators,
          indicatorHash: indicatorSetHash(config.indicators),
          configHash: configHash(config),
        },
        now,
      );
      const cluster = await repos.clusters.findById(outcome.clusterId);
      if (cluster) {
        const moved = await periods.refreshDates(cluster, now);
        if (moved > 0) outcome.changes.push(`dates of ${moved} open period(s) updated`);
        const rescored = await periods.refreshScoring(cluster, now);
        if (rescored > 0) outcome.changes.push(`scoring of ${rescored} period(s) not closed updated`);
      }
      return outcome;
    },
  };
}

export type ConfigService = ReturnType<typeof createConfigService>;
