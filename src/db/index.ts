// Builds every repository over one database handle.
import type { Db } from "./client.ts";
import { createClusterRepository } from "./cluster.repository.ts";
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

export function createRepositories(db: Db) {
  return {
    clusters: createClusterRepository(db),
    people: createPeopleRepository(db),
    memberships: createMembershipRepository(db),
    periods: createPeriodRepository(db),
    reports: createReportRepository(db),
    ledger: createLedgerRepository(db),
    conversations: createConversationStateRepository(db),
    updates: createProcessedUpdateRepository(db),
    audit: createAuditRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
