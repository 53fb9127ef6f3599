// Builds every repository over one database handle.
import type { Db } from "./client.ts";
import { createClusterRepository } from "./cluster.repository.ts";
import type { HotPath } from "./hot-path.ts";
import { createLedgerRepository } from "./ledger.repository.ts";
import { createMembershipRepository } from "./membership.repository.ts";
import { createPeopleRepository } from "./people.repository.ts";
import { createPeriodRepository } from "./period.repository.ts";
import { createReportRepository } from "./report.repository.ts";
import {
  createAuditRepository,
  createConversationStateRepository,
  createProcessedUpdateRepository,
} from "./state.repository.ts";

/** With `hot` (the application's handle), the fan-out's delivery rows use prepared statements. */
export function createRepositories(db: Db, hot?: HotPath) {
  return {
    clusters: createClusterRepository(db),
    people: createPeopleRepository(db),
    memberships: createMembershipRepository(db),
    periods: createPeriodRepository(db),
    reports: createReportRepository(db),
    ledger: createLedgerRepository(db, hot),
    conversations: createConversationStateRepository(db),
    updates: createProcessedUpdateRepository(db),
    audit: createAuditRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
