// A removed person is told at their next message, once. The notice is claimed before the
// message and marked told after it: a process killed in between leaves a claim that the
// person's next message takes again once it is stale (late, not lost), a failed message gives
// the claim back, and two instances handling two messages at once tell it once.
import { describe, expect, it } from "vitest";
import type { Cluster } from "../../src/domain/entities.ts";
import { createMembershipService, NOTICE_CLAIM_MS } from "../../src/services/membership.service.ts";
import { type TestDb, testDbKinds } from "../helpers/test-db.ts";
import { at, fixedClock, TG, useSeededDb } from "../scheduler/helpers.ts";

const REMOVED = at("2026-10-02 09:00");

describe.each(testDbKinds())("the removal notice on $name", (kind) => {
  let t: TestDb;
  let cluster: Cluster;
  let personId: number;
  let membershipId: number;
  const { otherProcess } = useSeededDb(kind, async (db, seeded) => {
    t = db;
    cluster = seeded;
    const person = (await t.repos.people.byTelegramId(TG.HN))!;
    const chair = (await t.repos.people.byTelegramId(TG.chair))!;
    const m = (await t.db.membership.findFirst({ where: { personId: person.id, clusterId: cluster.id } }))!;
    await t.repos.memberships.end([m.id], chair.id, REMOVED);
    personId = person.id;
    membershipId = m.id;
  });

  const noticeAt = async () => (await t.db.membership.findUniqueOrThrow({ where: { id: membershipId } })).noticeAt;

  it("a teller killed after the claim: the next message within the claim tells nothing, one after it tells once", async () => {
    const clock = fixedClock(at("2026-10-02 10:00"));
    const a = createMembershipService({ repos: t.repos, clock });
    expect((await a.takeNotices(personId)).map((n) => n.membership.id)).toEqual([membershipId]);
    // a dies here, before its message; b answers the person's next messages
    const b = createMembershipService({ repos: otherProcess().repos, clock });
    clock.set(new Date(clock.now().getTime() + 30_000));
    expect(await b.takeNotices(personId)).toEqual([]); // a may still be telling it
    clock.set(new Date(at("2026-10-02 10:00").getTime() + NOTICE_CLAIM_MS + 1_000));
    const late = await b.takeNotices(personId);
    expect(late.map((n) => [n.membership.id, n.clusterName])).toEqual([[membershipId, cluster.name]]);
    expect(await noticeAt()).toBeNull();
    await b.noticeTold(membershipId);
    expect(await noticeAt()).toEqual(clock.now());
    // told: never again, however late
    clock.set(at("2026-10-03 10:00"));
    expect(await a.takeNotices(personId)).toEqual([]);
    expect(await b.takeNotices(personId)).toEqual([]);
  });

  it("a failed message gives the claim back: the next message tells it at once", async () => {
    const clock = fixedClock(at("2026-10-02 10:00"));
    const members = createMembershipService({ repos: t.repos, clock });
    expect(await members.takeNotices(personId)).toHaveLength(1);
    await members.releaseNotices([membershipId]);
    clock.set(new Date(clock.now().getTime() + 5_000));
    expect(await members.takeNotices(personId)).toHaveLength(1);
  });

  it("two instances handling two messages of the person at once tell it once", async () => {
    const clock = fixedClock(at("2026-10-02 10:00"));
    const a = createMembershipService({ repos: t.repos, clock });
    const b = createMembershipService({ repos: otherProcess().repos, clock });
    const [x, y] = await Promise.all([a.takeNotices(personId), b.takeNotices(personId)]);
    expect(x.length + y.length).toBe(1);
  });
});
