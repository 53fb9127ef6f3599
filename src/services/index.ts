// Builds the services over the repositories (one place, used by the composition root).
import type { HotPath } from "../db/hot-path.ts";
import type { Repositories } from "../db/index.ts";
import type { Logger } from "../logger.ts";
import { createAccessService } from "./access.service.ts";
import { createApprovalService } from "./approval.service.ts";
import type { Clock } from "./clock.ts";
import { createConfigService } from "./config.service.ts";
import { createInvitationService } from "./invitation.service.ts";
import { createMembershipService } from "./membership.service.ts";
import { createPeriodService } from "./period.service.ts";
import { createReportService } from "./report.service.ts";
import { createStatusService } from "./status.service.ts";
import type { LedgerNotices } from "./submission-notice.ts";

export function createServices(deps: {
  repos: Repositories;
  hot: HotPath;
  clock: Clock;
  logger: Logger;
  /** runs the notices written with a decision (the ledger executor, built after the services) */
  notices: LedgerNotices;
}) {
  const { repos, hot, clock, notices } = deps;
  const access = createAccessService(repos, hot);
  const periods = createPeriodService(repos, hot);
  return {
    access,
    periods,
    invitations: createInvitationService(repos, clock),
    members: createMembershipService({ repos, clock }),
    approvals: createApprovalService({ repos, clock, notices, logger: deps.logger }),
    reports: createReportService({ repos, hot, periods, clock, notices, logger: deps.logger }),
    status: createStatusService(repos),
    config: createConfigService(repos, periods, clock),
  };
}

export type Services = ReturnType<typeof createServices>;
