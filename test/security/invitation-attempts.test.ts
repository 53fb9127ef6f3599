// The wrong-invitation-token slow-down is enforced by all instances together: two
// invitation services over two connections to one database (as two bot processes
// have) add their wrong attempts up, and neither stores the token.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client.ts";
import { createRepositories } from "../../src/db/index.ts";
import type { Cluster } from "../../src/domain/entities.ts";
import { fixedClock } from "../../src/services/clock.ts";
import {
  createInvitationService,
  MAX_WRONG_TOKENS,
  WRONG_TOKEN_WINDOW_MS,
} from "../../src/services/invitation.service.ts";
import { createTestDb, type TestDb, testDbKinds } from "../helpers/test-db.ts";
import { at, seedCluster } from "../scheduler/helpers.ts";

describe.each(testDbKinds())("wrong invitation tokens across instances on $name", (kind) => {
  let t: TestDb;
  let second: ReturnType<typeof createDb>;
  let cluster: Cluster;
  const clock = fixedClock(at("2026-09-20 08:00"));

  beforeEach(async () => {
    t = await createTestDb(kind);
    cluster = await seedCluster(t, t.repos);
    second = createDb(t.url);
  });
  afterEach(async () => {
    await second?.close();
    await t?.drop();
  });

  it("the attempts add up over two instances; the window is ten minutes from each attempt", async () => {
    const a = createInvitationService(t.repos, clock);
    const b = createInvitationService(createRepositories(second.db, second.hot), clock);
    const guesser = await t.repos.people.upsert({ telegramId: 9001n, firstName: "Khách" });
    const other = await t.repos.people.upsert({ telegramId: 9002n, firstName: "Người khác" });
    const right = await a.create({
      clusterCode: cluster.code,
      role: "secretary",
      boardCode: "hn",
      createdByPersonId: null,
      botUsername: "cumthidua_bot",
    });
    if (!right.ok) throw new Error(JSON.stringify(right.error));

    // five wrong tokens, alternating instances (well-formed and malformed alike)
    const wrong = ["A".repeat(43), "x", "B".repeat(43), "cum-thu", "C".repeat(43)];
    for (const [i, token] of wrong.entries()) {
      expect(await (i % 2 === 0 ? a : b).redeem(token, guesser.id)).toEqual({ ok: false, reason: "unknown" });
      clock.advance(1000);
    }
    // either instance now slows the guesser down, even for the right token, which stays unused
    expect(await a.redeem("D".repeat(43), guesser.id)).toEqual({ ok: false, reason: "slow_down" });
    expect(await b.redeem(right.value.token, guesser.id)).toEqual({ ok: false, reason: "slow_down" });
    // another person is not affected
    expect(await b.redeem("E".repeat(43), other.id)).toEqual({ ok: false, reason: "unknown" });

    // the table holds who and when, never the token
    const rows = await t.db.invitationAttempt.findMany({ where: { personId: guesser.id } });
    expect(rows).toHaveLength(MAX_WRONG_TOKENS);
    expect(JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toMatch(/AAAA|cum-thu/);

    // the slowed-down tries did not count: once the first attempt is ten minutes old, one more guess is allowed
    clock.advance(WRONG_TOKEN_WINDOW_MS - wrong.length * 1000 + 1);
    expect(await b.redeem("F".repeat(43), guesser.id)).toEqual({ ok: false, reason: "unknown" });
    expect(await a.redeem(right.value.token, guesser.id)).toEqual({ ok: false, reason: "slow_down" });
    // ten minutes after the last wrong one, the right token works, on either instance
    clock.advance(WRONG_TOKEN_WINDOW_MS + 1);
    const joined = await a.redeem(right.value.token, guesser.id);
    expect(joined.ok).toBe(true);
    // recording a wrong attempt drops that person's attempts older than the window
    expect(await b.redeem("G".repeat(43), guesser.id)).toEqual({ ok: false, reason: "unknown" });
    expect(await t.db.invitationAttempt.count({ where: { personId: guesser.id } })).toBe(1);
  });
});

// Many wrong guesses at once, from two instances: the limit holds however they interleave.
describe.each(testDbKinds())("simultaneous wrong invitation tokens on $name", (kind) => {
  let t: TestDb;
  let second: ReturnType<typeof createDb>;
  const clock = fixedClock(at("2026-09-20 08:00"));

  beforeEach(async () => {
    t = await createTestDb(kind);
    await seedCluster(t, t.repos);
    second = createDb(t.url);
  });
  afterEach(async () => {
    await second?.close();
    await t?.drop();
  });

  async function burst(count: number, already: number) {
    const a = createInvitationService(t.repos, clock);
    const b = createInvitationService(createRepositories(second.db, second.hot), clock);
    const guesser = await t.repos.people.upsert({ telegramId: 9101n, firstName: "Khách" });
    for (let i = 0; i < already; i++) {
      expect(await a.redeem(`${"Z".repeat(42)}${i}`, guesser.id)).toEqual({ ok: false, reason: "unknown" });
    }
    const outcomes = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        (i % 2 === 0 ? a : b).redeem(`${"Y".repeat(41)}${i}`.slice(-43), guesser.id),
      ),
    );
    const through = outcomes.filter((o) => !o.ok && o.reason === "unknown").length;
    const slowed = outcomes.filter((o) => !o.ok && o.reason === "slow_down").length;
    expect(through + slowed).toBe(count);
    const rows = await t.db.invitationAttempt.count({ where: { personId: guesser.id } });
    return { through, rows, a, guesser };
  }

  it("at four wrong ones, two simultaneous guesses let at most one through", async () => {
    for (let round = 0; round < 5; round++) {
      await t.db.invitationAttempt.deleteMany({});
      const { through, rows } = await burst(2, MAX_WRONG_TOKENS - 1);
      expect(through).toBeLessThanOrEqual(1);
      expect(rows).toBe(MAX_WRONG_TOKENS - 1 + through);
    }
  });

  it("thirty simultaneous guesses over two instances: never more than the limit get through", async () => {
    // a burst may be refused whole (every guess counts the others), never let past the limit
    const { through, rows, a, guesser } = await burst(30, 0);
    expect(through).toBeLessThanOrEqual(MAX_WRONG_TOKENS);
    // the refused guesses left no row behind: one at a time, the rest of the limit is still there
    expect(rows).toBe(through);
    for (let i = through; i < MAX_WRONG_TOKENS; i++) {
      expect(await a.redeem(`${"X".repeat(42)}${i}`, guesser.id)).toEqual({ ok: false, reason: "unknown" });
    }
    expect(await a.redeem("W".repeat(43), guesser.id)).toEqual({ ok: false, reason: "slow_down" });
    expect(await t.db.invitationAttempt.count({ where: { personId: guesser.id } })).toBe(MAX_WRONG_TOKENS);
  });
});
