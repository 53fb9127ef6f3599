// The cluster's group end to end: /ketnoi links a group, the bot follows an upgrade to a
// supergroup (from the service message, and from the 400 answer when it missed it) and
// posts there, the bot's removal is told to the chair, and a failed post is retried.
import { afterEach, describe, expect, it } from "vitest";
import { parseClusterConfigText } from "../../src/cluster-config/load.ts";
import { type E2E, SMALL_CLUSTER_YAML, startE2E } from "../helpers/e2e.ts";
import { testDbKinds } from "../helpers/test-db.ts";
import { at } from "../scheduler/helpers.ts";

/** The summary post of quý III/2026 (the briefing is Monday 12/10: the post goes Friday 09/10 16:00). */
const POST = "2026-10-09 16:00";

function clusterWithGroup(groupChatId: number | null) {
  const yaml = SMALL_CLUSTER_YAML.replace(
    /groupChatId: -?\d+/,
    groupChatId === null ? "" : `groupChatId: ${groupChatId}`,
  );
  return parseClusterConfigText(yaml, "group.yaml", "yaml");
}

describe.each(testDbKinds())("the cluster's group on $name", (kind) => {
  let e: E2E | undefined;
  afterEach(async () => {
    await e?.stop();
    e = undefined;
  });

  const groupOf = async () => (await e!.app.repos.clusters.listAll())[0]!.groupChatId;
  const summaryPosts = async () =>
    (await e!.db.repos.ledger.list()).filter((a) => a.kind === "summary_post" && a.key.includes("2026-Q3"));

  it("/ketnoi links the group; an upgrade to a supergroup is followed and the summary goes there", async () => {
    e = await startE2E(kind, { config: clusterWithGroup(null) });
    const chair = await e.join(201, "Hùng", "chair");
    const lan = await e.join(101, "Lan", "secretary", "HN");
    expect(await groupOf()).toBeNull();

    chair.send("/ketnoi");
    expect((await chair.waitForMessage(/ketnoi/)).text).toContain("dùng trong nhóm của cụm");
    const group = e.standin.group(-4001, "Nhóm cụm thi đua");
    group.member(chair).send("/trogiup");
    expect((await group.waitForMessage(/ketnoi/)).text).toContain("Nhóm này chưa là nhóm của cụm nào");
    group.member(lan).send("/ketnoi");
    expect((await group.waitForMessage(/cụm trưởng/)).text).toBe("Chỉ cụm trưởng mới kết nối được nhóm của cụm.");
    group.member(chair).send("/ketnoi@cumthidua_test_bot");
    expect((await group.waitForMessage(/kết nối/)).text).toContain("Nhóm này đã được kết nối làm nhóm của Cụm thi đua");
    expect((await chair.waitForMessage(/Đã kết nối nhóm/)).text).toContain("“Nhóm cụm thi đua”");
    expect(await groupOf()).toBe(-4001n);
    // the linked group is a place for the cluster's commands now
    group.member(chair).send("/trogiup");
    expect((await group.waitForMessage(/Hướng dẫn/)).text).toContain("/ketnoi");

    // Telegram upgrades the group by itself: the bot gets the service messages and follows
    const supergroup = group.upgradeToSupergroup(-1001000004001, { by: chair });
    // the bot answers nothing to a service message: wait for the database to follow
    for (let i = 0; i < 100 && (await groupOf()) !== -1001000004001n; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await groupOf()).toBe(-1001000004001n);

    e.clock.set(at(POST));
    const lines = await e.app.scheduler.tick(e.clock.now());
    expect(lines.find((l) => l.kind === "summary_post")).toMatchObject({ outcome: "done", sent: 1 });
    expect(supergroup.messages().some((m) => /Tổng kết thi đua quý III\/2026/.test(m.text ?? ""))).toBe(true);
    expect(group.messages().some((m) => /Tổng kết thi đua quý III/.test(m.text ?? ""))).toBe(false);
    // the chair asks there too: the followed supergroup is the cluster's group for commands
    const since = supergroup.messages().length;
    supergroup.member(chair).send("/tongket Q3");
    expect((await supergroup.waitForMessage(/Tổng kết|quyền/, { since })).text).toMatch(/^🏆 Tổng kết thi đua quý III/);
    const audit = await e.db.db.auditEntry.findMany({ where: { action: { startsWith: "group." } } });
    expect(audit.map((a) => a.action)).toEqual(["group.link", "group.migrate"]);
  }, 90_000);

  it("a group upgraded before the post, unseen by the bot: the 400 answer's migrate_to_chat_id is followed", async () => {
    e = await startE2E(kind, { config: clusterWithGroup(-4002) });
    await e.join(201, "Hùng", "chair");
    const group = e.standin.group(-4002, "Nhóm cụm");
    const supergroup = group.upgradeToSupergroup(-1001000004002, { notify: false });
    e.clock.set(at(POST));
    const lines = await e.app.scheduler.tick(e.clock.now());
    expect(lines.find((l) => l.kind === "summary_post")).toMatchObject({ outcome: "done", sent: 1 });
    expect(supergroup.messages().some((m) => /Tổng kết thi đua quý III\/2026/.test(m.text ?? ""))).toBe(true);
    expect(await groupOf()).toBe(-1001000004002n);
    expect(e.standin.calls("sendMessage").some((c) => c.error?.description.includes("upgraded to a supergroup"))).toBe(
      true,
    );
    // re-applying the unchanged file keeps the followed group; a changed groupChatId in the file wins
    await e.app.services.config.apply(clusterWithGroup(-4002));
    expect(await groupOf()).toBe(-1001000004002n);
    await e.app.services.config.apply(clusterWithGroup(-4999));
    expect(await groupOf()).toBe(-4999n);
  }, 90_000);

  it("the bot removed from the group: the chair is told, the post fails, is told and retried after /ketnoi elsewhere", async () => {
    e = await startE2E(kind, { config: clusterWithGroup(-4003) });
    const chair = await e.join(201, "Hùng", "chair");
    const group = e.standin.group(-4003, "Nhóm cũ");
    group.removeBot({ by: chair });
    expect((await chair.waitForMessage(/bị xóa khỏi nhóm/)).text).toContain("“Nhóm cũ”");

    e.clock.set(at(POST));
    const first = await e.app.scheduler.tick(e.clock.now());
    expect(first.find((l) => l.kind === "summary_post")).toMatchObject({ outcome: "failed", failed: 1 });
    expect((await chair.waitForMessage(/Chưa đăng được/)).text).toContain("bot không còn trong nhóm");
    expect((await summaryPosts())[0]?.status).toBe("failed");

    // nothing again within 15 minutes; the chair links a new group
    e.clock.set(at("2026-10-09 16:10"));
    expect((await e.app.scheduler.tick(e.clock.now())).filter((l) => l.kind === "summary_post")).toEqual([]);
    const fresh = e.standin.group(-4004, "Nhóm mới");
    fresh.member(chair).send("/ketnoi");
    await fresh.waitForMessage(/đã được kết nối/);

    e.clock.set(at("2026-10-09 16:20"));
    const retried = await e.app.scheduler.tick(e.clock.now());
    expect(retried.find((l) => l.kind === "summary_post")).toMatchObject({ outcome: "done", sent: 1, retry: true });
    expect(fresh.messages().some((m) => /Tổng kết thi đua quý III\/2026/.test(m.text ?? ""))).toBe(true);
    expect((await chair.waitForMessage(/lần đăng lại/)).text).toContain("Đã đăng tổng kết quý III/2026");
    expect(chair.messages().filter((m) => /Chưa đăng được/.test(m.text ?? ""))).toHaveLength(1);
    expect((await summaryPosts())[0]?.status).toBe("done");
  }, 90_000);
});
