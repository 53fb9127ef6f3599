// The authorization matrix: every command and every button × every kind of person ×
// every place, with the expected outcome (allow or deny) from docs/security.md. A deny
// carries no data of the cluster: no cluster or board name, no figure, no member name.
// Also the invitation tokens: 256 random bits, single-use, expiring, stored and looked
// up by hash only, and five wrong tokens from one person slow the next ones down.
// (Grew out of test/e2e/access.test.ts: a stranger and a member of another cluster.)
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as vi from "../../src/bot/locales/vi.ts";
import { parseClusterConfigText } from "../../src/cluster-config/load.ts";
import { periodDates } from "../../src/domain/calendar.ts";
import { hashToken, TOKEN_BYTES } from "../../src/services/invitation.service.ts";
import type { Json, Sender, UserHandle } from "../../src/standin/bot-api-standin.ts";
import { expectCleanRun } from "../helpers/chat.ts";
import { BOT_USERNAME, type E2E, startE2E } from "../helpers/e2e.ts";
import { testDbKinds } from "../helpers/test-db.ts";
import { type CapturedLog, captureLog, lastUpdateId, reportButtons } from "./fuzz-kit.ts";

const OTHER_CLUSTER_YAML = `
cluster: { code: cum-xa, name: Cụm thi đua Miền Trung, groupChatId: -1009990002 }
boards:
  - { code: HUE, name: Ban Tổ chức Thành ủy Huế, shortName: Huế }
  - { code: QN, name: Ban Tổ chức Tỉnh ủy Quảng Ngãi, shortName: Quảng Ngãi }
indicators:
  - { code: ket_nap, label: Số đảng viên mới kết nạp, unit: người, kind: integer, min: 0, weight: 1 }
`;

const CLUSTER_GROUP = -1009990001;
const UNKNOWN_GROUP = -1009990077;
/** the other cluster's group (cum-xa) */
const FOREIGN_GROUP = -1009990002;

/** Data of the small cluster: never in a refusal, never seen by anyone outside it. */
const SECRETS = [
  "Thử nghiệm",
  "Kiểm tra",
  "Hà Nội",
  "TP.HCM",
  "Hồ Chí Minh",
  "Đà Nẵng",
  "4.321",
  "4321",
  "87,5",
  "Lan",
  "Hùng",
  "Hoa",
  "Quyên",
  "Sơn",
  "Vân",
  "Tuấn",
  "Khánh",
  "Dự bị",
];
/** Everything a stranger may be told (the visible text starts with one of these). */
const STRANGER_REPLIES = [
  vi.common.stranger,
  vi.common.refused,
  vi.common.cancelledNothing,
  vi.report.notSecretary,
  vi.start.invitationUnknown,
  vi.summary.refused,
  vi.reminders.nhacnho.leaderOnly,
  vi.reminders.lich.chairOnly,
  vi.common.privateOnly,
  vi.group.inGroupOnly,
];
/** Lan's draft figures: only Lan's board, the chair and the deputy may see them. */
const LAN_FIGURES = ["4.321", "4321", "87,5"];

/**
 * People: Lan (secretary of Hà Nội), Hoa (TP.HCM), a member of another cluster, the chair
 * and deputy, and the people of #12: Khánh, a TP.HCM secretary who was removed (must behave
 * as a stranger, buttons of his old messages included); Sơn, last year's chair, who handed
 * over and stays Đà Nẵng's secretary; Vân, TP.HCM's board leader (lãnh đạo ban); Tuấn,
 * secretary of two boards (TP.HCM and Đà Nẵng).
 */
type Actor =
  | "stranger"
  | "secretary"
  | "otherBoard"
  | "otherCluster"
  | "chair"
  | "deputy"
  | "removed"
  | "formerChair"
  | "leader"
  | "twoBoards"
  | "otherChair";
type Place = "private" | "clusterGroup" | "unknownGroup" | "foreignGroup";
const ACTORS: Actor[] = [
  "stranger",
  "secretary",
  "otherBoard",
  "otherCluster",
  "chair",
  "deputy",
  "removed",
  "formerChair",
  "leader",
  "twoBoards",
  "otherChair",
];
/** a private chat, the cluster's group, a group of no cluster, the other cluster's group */
const PLACES: Place[] = ["private", "clusterGroup", "unknownGroup", "foreignGroup"];

const MEMBERS: Actor[] = ["secretary", "otherBoard", "chair", "deputy", "formerChair", "leader", "twoBoards"];
const SECRETARIES: Actor[] = ["secretary", "otherBoard", "formerChair", "twoBoards"];
/** outside the cluster: told nothing of it */
const OUTSIDERS: Actor[] = ["stranger", "otherCluster", "removed", "otherChair"];
/** the other cluster's people: in its group, and with their own cluster's data */
const OTHERS: Actor[] = ["otherCluster", "otherChair"];
/** members who are not of Hà Nội: never see Lan's draft figures */
const NOT_HANOI: Actor[] = ["otherBoard", "formerChair", "leader", "twoBoards"];
const LEADERS: Actor[] = ["chair", "deputy"];
const EVERYONE: Actor[] = ACTORS;

interface Row {
  /** what is typed, or the button */
  name: string;
  /** who is allowed, per place (everyone else is denied) */
  allow: Partial<Record<Place, Actor[]>>;
  /** what an allowed person gets (visible text of a reply, or the button's answer) */
  marker: RegExp;
  /** the allowed reply may show the cluster's data (otherwise no cell of the row may) */
  showsData?: boolean;
}

/** the report header of a board of this cluster */
const OWN_REPORT = /Báo cáo quý III\/2026[\s\S]*Đơn vị: Ban Tổ chức Thành ủy (Hà Nội|TP\. Hồ Chí Minh|Đà Nẵng)/;
/** the report, or (a secretary of two boards) the choice of the board */
const OWN_REPORT_OR_CHOICE = new RegExp(`${OWN_REPORT.source}|chọn đơn vị cần nhập báo cáo`);

const ROWS: Row[] = [
  { name: "/start", allow: { private: MEMBERS }, marker: /Đồng chí là .*Thử nghiệm/, showsData: true },
  { name: "/baocao", allow: { private: SECRETARIES }, marker: OWN_REPORT_OR_CHOICE, showsData: true },
  { name: "/baocao DN", allow: { private: ["formerChair", "twoBoards"] }, marker: OWN_REPORT, showsData: true },
  {
    name: "/trangthai",
    allow: { private: MEMBERS, clusterGroup: MEMBERS },
    marker: /Tình hình báo cáo quý III\/2026[\s\S]*Thử nghiệm/,
    showsData: true,
  },
  {
    name: "/trangthai Q3",
    allow: { private: MEMBERS, clusterGroup: MEMBERS },
    marker: /Tình hình báo cáo quý III\/2026[\s\S]*Thử nghiệm/,
    showsData: true,
  },
  {
    name: "/tongket",
    allow: { private: LEADERS, clusterGroup: LEADERS },
    marker: /Tổng kết thi đua quý III\/2026[\s\S]*Thử nghiệm/,
    showsData: true,
  },
  {
    name: "/tongket Q3",
    allow: { private: LEADERS, clusterGroup: LEADERS },
    marker: /Tổng kết thi đua quý III\/2026[\s\S]*Thử nghiệm/,
    showsData: true,
  },
  {
    name: "/nhacnho",
    // the other cluster's chair reminds his own boards (in private and in his group)
    allow: { private: [...LEADERS, "otherChair"], clusterGroup: LEADERS, foreignGroup: ["otherChair"] },
    marker: /Đã nhắc|Nhắc nhở vừa được gửi/,
    showsData: true,
  },
  {
    name: "/moi HN",
    allow: { private: ["chair"] },
    marker: /Lời mời thư ký của Ban Tổ chức Thành ủy Hà Nội/,
    showsData: true,
  },
  { name: "/moi deputy", allow: { private: ["chair", "otherChair"] }, marker: /Lời mời cụm phó/, showsData: true },
  {
    name: "/lich Q3 deadline 07/10/2026 17:00",
    allow: { private: ["chair", "otherChair"], clusterGroup: ["chair"], foreignGroup: ["otherChair"] },
    marker: /Đã dời hạn nộp/,
    showsData: true,
  },
  {
    name: "/mokhoa HN",
    allow: { private: LEADERS, clusterGroup: LEADERS },
    marker: /Hà Nội chưa nộp báo cáo|Đã mở khóa|chưa khóa/,
    showsData: true,
  },
  {
    name: "/huy",
    allow: { private: EVERYONE, clusterGroup: EVERYONE, unknownGroup: EVERYONE, foreignGroup: EVERYONE },
    marker: /^Hiện không có việc gì đang dở\./,
  },
  {
    name: "/trogiup",
    allow: { private: EVERYONE, clusterGroup: MEMBERS, foreignGroup: OTHERS },
    marker: /Hướng dẫn|Đồng chí chưa tham gia cụm/,
  },
  {
    name: "/help",
    allow: { private: EVERYONE, clusterGroup: MEMBERS, foreignGroup: OTHERS },
    marker: /Hướng dẫn|Đồng chí chưa tham gia cụm/,
  },
  {
    name: "/lichsu",
    allow: { private: SECRETARIES },
    marker: /Số liệu 4 quý gần nhất — (Hà Nội|TP\.HCM|Đà Nẵng)/,
    showsData: true,
  },
  { name: "/chon", allow: { private: MEMBERS }, marker: /Đang làm việc với .*Thử nghiệm/, showsData: true },
  { name: "/start cum-thu", allow: {}, marker: /Đồng chí đã tham gia|Đồng chí là/ },
  { name: "text xin chào, cho xem báo cáo Hà Nội", allow: {}, marker: /Ban Tổ chức|4\.321/ },
  // buttons
  { name: "button baocao", allow: { private: SECRETARIES }, marker: OWN_REPORT_OR_CHOICE, showsData: true },
  // the choice of a secretary of two boards: Đà Nẵng's report
  { name: "button bc:{dn}", allow: { private: ["formerChair", "twoBoards"] }, marker: OWN_REPORT, showsData: true },
  { name: "button cl:cum-thu", allow: { private: MEMBERS }, marker: /Đang làm việc với .*Thử nghiệm/, showsData: true },
  { name: "button of Lan's report", allow: { private: ["secretary"] }, marker: /Đã tạm dừng/, showsData: true },
  { name: "button of an ended report", allow: {}, marker: /Đã tạm dừng|Chỉ tiêu/ },
  { name: "forged rp:abc:1:submit", allow: {}, marker: /Đã nộp|Bảng tổng hợp/ },
  // members and invitations (#12); {spare} is a Đà Nẵng secretary and {inv} an invitation made for these rows
  { name: "/thanhvien", allow: { private: LEADERS }, marker: /Thành viên .*Thử nghiệm/, showsData: true },
  {
    name: "/moi cumtruong",
    allow: { private: ["chair", "otherChair"] },
    marker: /Lời mời cụm trưởng/,
    showsData: true,
  },
  {
    name: "/moi HN lanhdao",
    allow: { private: ["chair"] },
    marker: /Lời mời lãnh đạo ban của Ban Tổ chức Thành ủy Hà Nội/,
    showsData: true,
  },
  { name: "button mb:rm:{spare}", allow: { private: LEADERS }, marker: /xác nhận chấm dứt vai trò/, showsData: true },
  {
    name: "button mb:rmok:{spare}",
    allow: { private: LEADERS },
    marker: /Đã chấm dứt vai trò/,
    showsData: true,
  },
  {
    name: "button mb:ci:{inv}",
    allow: { private: LEADERS },
    marker: /xác nhận hủy lời mời/,
    showsData: true,
  },
  {
    name: "button mb:ciok:{inv}",
    allow: { private: LEADERS },
    marker: /Đã hủy lời mời/,
    showsData: true,
  },
  { name: "button mb:no", allow: { private: [...LEADERS, "otherChair"] }, marker: /Đã giữ nguyên/ },
  // approval (#12): the cluster requires it and TP.HCM's quý II report ({pending}) waits for Vân
  {
    name: "/duyet",
    allow: { private: ["leader"] },
    marker: /TP\. Hồ Chí Minh<\/b> đã nộp báo cáo quý II\/2026|TP\. Hồ Chí Minh đã nộp báo cáo quý II\/2026/,
    showsData: true,
  },
  {
    name: "button ap:ok:{pending}",
    allow: { private: ["leader"] },
    marker: /Đồng chí đã duyệt báo cáo quý II\/2026/,
    showsData: true,
  },
  {
    name: "button ap:rt:{pending}",
    allow: { private: ["leader"] },
    marker: /nhập lý do trả lại báo cáo quý II\/2026/,
    showsData: true,
  },
  // a button of an earlier revision of the same report: stale for everyone
  { name: "button ap:ok:{pendingOld}", allow: {}, marker: /Đồng chí đã duyệt|nhập lý do/ },
  { name: "forged ap:ok:1:1", allow: {}, marker: /đã duyệt|Đã trả lại/ },
  { name: "forged ap:rt:1:1", allow: {}, marker: /nhập lý do trả lại/ },
  // members and invitations of the other cluster: only its chair acts on them
  {
    name: "button mb:rm:{xaSpare}",
    allow: { private: ["otherChair"] },
    marker: /xác nhận chấm dứt vai trò/,
  },
  {
    name: "button mb:rmok:{xaSpare}",
    allow: { private: ["otherChair"] },
    marker: /Đã chấm dứt vai trò/,
  },
  {
    name: "button mb:ciok:{xaInv}",
    allow: { private: ["otherChair"] },
    marker: /Đã hủy lời mời/,
  },
  // a membership and an invitation that do not exist (stale or forged)
  { name: "button mb:rmok:999999", allow: {}, marker: /Đã chấm dứt vai trò/ },
  { name: "button mb:ciok:999999", allow: {}, marker: /Đã hủy lời mời/ },
  { name: "/moi HUE", allow: { private: ["otherChair"] }, marker: /Lời mời thư ký của Ban Tổ chức Thành ủy Huế/ },
  // /ketnoi: a chair links a group of no cluster (reset after each cell); a group of another cluster stays its own
  {
    name: "/ketnoi",
    allow: { clusterGroup: ["chair"], unknownGroup: ["chair", "otherChair"], foreignGroup: ["otherChair"] },
    marker: /không có gì thay đổi|đã được kết nối làm nhóm/,
    showsData: true,
  },
  {
    name: "/lich Q3 hannop 08/10/2026 17:00",
    allow: { private: ["chair", "otherChair"], clusterGroup: ["chair"], foreignGroup: ["otherChair"] },
    marker: /Đã dời hạn nộp/,
    showsData: true,
  },
  { name: "button of Khánh's old report", allow: {}, marker: /Đã nộp|Bảng tổng hợp|Chỉ tiêu|Đã tạm dừng/ },
  // last: joining changes who everyone is
  { name: "/start <token>", allow: { private: EVERYONE }, marker: /đã tham gia/i, showsData: true },
];

interface Outcome {
  texts: string[];
  answers: (string | undefined)[];
}

describe.each(testDbKinds())("authorization matrix on $name", (kind) => {
  let e: E2E;
  let log: CapturedLog;
  const people = {} as Record<Actor, UserHandle>;
  let endedButton: string;
  let removedButton: string;
  let spareId: number;
  let invId: number;
  let dnBoardId: number;
  /** TP.HCM's quý II report waiting for approval: "id:revision", and an earlier revision */
  let pending: string;
  let pendingOld: string;
  let pendingReportId: number;
  /** a Huế secretary of the other cluster, and an open invitation of it */
  let xaSpareId: number;
  let xaInvId: number;

  beforeAll(async () => {
    log = captureLog("info");
    e = await startE2E(kind, { logger: log.logger });
    await e.app.services.config.apply(parseClusterConfigText(OTHER_CLUSTER_YAML, "other.yaml", "yaml"));
    // #12: Sơn (Đà Nẵng's secretary) chaired last year; Hùng's chair invitation hands it over
    people.formerChair = await e.join(203, "Sơn", "secretary", "DN", "cum-thu");
    await e.join(203, "Sơn", "chair", undefined, "cum-thu");
    people.chair = await e.join(201, "Hùng", "chair", undefined, "cum-thu");
    people.deputy = await e.join(202, "Quyên", "deputy", undefined, "cum-thu");
    people.secretary = await e.join(101, "Lan", "secretary", "HN", "cum-thu");
    people.otherBoard = await e.join(102, "Hoa", "secretary", "HCM", "cum-thu");
    people.otherCluster = await e.join(301, "Bình", "secretary", "HUE", "cum-xa");
    people.stranger = e.standin.user(401, { first_name: "Tư", known: true });
    people.otherChair = await e.join(302, "Phúc", "chair", undefined, "cum-xa");
    await e.join(303, "Phụ Huế", "secretary", "HUE", "cum-xa");
    // #12: a board leader, a secretary of two boards, and a TP.HCM secretary removed mid-report
    people.leader = await e.join(204, "Vân", "leader", "HCM", "cum-thu");
    people.twoBoards = await e.join(205, "Tuấn", "secretary", "HCM", "cum-thu");
    people.removed = await e.join(206, "Khánh", "secretary", "HCM", "cum-thu");
    await e.join(207, "Dự bị", "secretary", "DN", "cum-thu");
    const cluster = (await e.app.repos.clusters.findByCode("cum-thu"))!;
    await e.join(205, "Tuấn", "secretary", "DN", "cum-thu");
    // Khánh had a report question open when he was removed; he has been told once
    people.removed.send("/baocao");
    const khanhQuestion = await people.removed.waitForMessage(/Chỉ tiêu 1\/4/);
    removedButton = reportButtons(khanhQuestion).at(-1)!;
    // (the conversation's state is written just after its reply: removed later than that)
    await e.standin.waitForIdle();
    const khanh = await e.db.db.membership.findFirstOrThrow({ where: { person: { telegramId: 206n } } });
    await e.app.services.members.removeMembership({
      cluster,
      membershipId: khanh.id,
      actorPersonId: (await e.db.db.person.findUniqueOrThrow({ where: { telegramId: 201n } })).id,
      actorRoles: ["chair"],
    });
    people.removed.send("/huy");
    await people.removed.waitForMessage(/Kính gửi đồng chí Khánh/);
    people.formerChair.send("/huy");
    await people.formerChair.waitForMessage(/Kính gửi đồng chí Sơn/);
    spareId = (await e.db.db.membership.findFirstOrThrow({ where: { person: { telegramId: 207n } } })).id;
    dnBoardId = (await e.db.db.board.findFirstOrThrow({ where: { code: "DN", cluster: { code: "cum-thu" } } })).id;
    const token = await dnToken();
    invId = (await e.db.db.invitation.findFirstOrThrow({ where: { tokenHash: hashToken(token) } })).id;
    // the cluster has data: Lan's draft with distinctive figures, and a report button that has ended
    const lan = people.secretary;
    lan.send("/baocao");
    const q1 = await lan.waitForMessage(/Chỉ tiêu 1\/4/);
    endedButton = reportButtons(q1).at(-1)!;
    lan.send("4321");
    await lan.waitForMessage(/Chỉ tiêu 2\/4/);
    lan.send("87,5");
    await lan.waitForMessage(/Chỉ tiêu 3\/4/);
    lan.send("/huy");
    await lan.waitForMessage(/Đã tạm dừng/);
    xaSpareId = (await e.db.db.membership.findFirstOrThrow({ where: { person: { telegramId: 303n } } })).id;
    const xaInv = await e.app.services.invitations.create({
      clusterCode: "cum-xa",
      role: "secretary",
      boardCode: "QN",
      createdByPersonId: null,
      botUsername: BOT_USERNAME,
    });
    if (!xaInv.ok) throw new Error("invitation");
    xaInvId = (await e.db.db.invitation.findFirstOrThrow({ where: { tokenHash: hashToken(xaInv.value.token) } })).id;
    // approval: the cluster requires it; TP.HCM's quý II report was submitted (twice) and waits for Vân
    await e.db.db.cluster.update({ where: { code: "cum-thu" }, data: { approvalRequired: true } });
    const repos = e.app.repos;
    const q2 = { year: 2026, quarter: 2 as const };
    const set = (await repos.clusters.currentIndicatorSet(cluster.id))!;
    const q2Period = await repos.periods.ensure(
      cluster.id,
      q2,
      periodDates(q2, cluster.calendar, cluster.timezone, cluster.overrides),
      set.id,
    );
    const hcm = (await repos.clusters.boards(cluster.id)).find((b) => b.code === "HCM")!;
    const hoa = await e.db.db.person.findUniqueOrThrow({ where: { telegramId: 102n } });
    const q2Report = await repos.reports.getOrCreate(q2Period.id, hcm.id);
    await repos.reports.saveValue({
      reportId: q2Report.id,
      indicatorId: set.indicators[0]!.id,
      value: { kind: "number", value: 77 },
      personId: hoa.id,
      at: new Date("2026-07-01T03:00:00Z"),
    });
    await repos.reports.submit(q2Report.id, 0, hoa.id, new Date("2026-07-01T03:00:00Z"), false);
    pendingReportId = q2Report.id;
    const submitted = await e.db.db.report.update({ where: { id: q2Report.id }, data: { approval: "pending" } });
    pending = `${submitted.id}:${submitted.revision}`;
    pendingOld = `${submitted.id}:${submitted.revision - 1}`;
    // every chat has a bot message (a forged button needs one to sit on)
    for (const chat of [CLUSTER_GROUP, UNKNOWN_GROUP, FOREIGN_GROUP]) {
      const g = e.standin.group(chat);
      g.member(people.chair).send("/huy");
      await log.handled(lastUpdateId(e.standin.updates));
    }
    people.stranger.send("/huy");
    await log.handled(lastUpdateId(e.standin.updates));
  }, 60_000);

  afterAll(async () => {
    await e?.stop();
  });

  /** A new one-time invitation for a Đà Nẵng secretary: its token. */
  async function dnToken(hours?: number): Promise<string> {
    const inv = await e.app.services.invitations.create({
      clusterCode: "cum-thu",
      role: "secretary",
      boardCode: "DN",
      createdByPersonId: null,
      botUsername: BOT_USERNAME,
      ...(hours ? { hours } : {}),
    });
    if (!inv.ok) throw new Error("invitation");
    return inv.value.token;
  }

  function senderOf(actor: Actor, place: Place): { send: Sender; view: () => string[] } {
    const u = people[actor];
    if (place === "private") return { send: u, view: () => u.messages().map(visibleOf) };
    const g = e.standin.group(
      place === "clusterGroup" ? CLUSTER_GROUP : place === "unknownGroup" ? UNKNOWN_GROUP : FOREIGN_GROUP,
    );
    return { send: g.member(u), view: () => g.messages().map(visibleOf) };
  }

  /** Text, caption and buttons of a message as a person sees them. */
  function visibleOf(m: { text?: string; caption?: string; reply_markup?: unknown }): string {
    return `${m.text ?? m.caption ?? ""} ${JSON.stringify(m.reply_markup ?? {})}`;
  }

  const tokens = new Map<Actor, string>();

  async function act(row: Row, actor: Actor, place: Place): Promise<Outcome> {
    const { send, view } = senderOf(actor, place);
    let data = row.name
      .replace(/^(button|forged) /, "")
      .replace("{spare}", String(spareId))
      .replace("{inv}", String(invId))
      .replace("{dn}", String(dnBoardId))
      .replace("{pendingOld}", pendingOld)
      .replace("{pending}", pending)
      .replace("{xaSpare}", String(xaSpareId))
      .replace("{xaInv}", String(xaInvId));
    if (row.name === "button of Lan's report") {
      // Lan is on a question of her report right now; the others press her button
      const lan = people.secretary;
      lan.send("/baocao");
      await log.handled(lastUpdateId(e.standin.updates));
      data = reportButtons(lan.messages().at(-1)!).find((b) => b.endsWith(":pause"))!;
    } else if (row.name === "button of an ended report") data = endedButton;
    else if (row.name === "button of Khánh's old report") data = removedButton;
    const before = view().length;
    let query: Json | undefined;
    if (row.name === "/start <token>") {
      // one invitation per person, tried in the groups first: there it must not be taken
      if (!tokens.has(actor)) {
        const inv = await e.app.services.invitations.create({
          clusterCode: "cum-thu",
          role: "deputy",
          createdByPersonId: null,
          botUsername: BOT_USERNAME,
        });
        if (!inv.ok) throw new Error("invitation");
        tokens.set(actor, inv.value.token);
      }
      send.send(`/start ${tokens.get(actor)}`);
    } else if (row.name.startsWith("/")) send.send(row.name);
    else if (row.name.startsWith("text ")) send.send(row.name.slice(5));
    else query = send.forgeCallback(data);
    await log.handled(lastUpdateId(e.standin.updates));
    const texts = view().slice(before);
    const answers = query
      ? e.standin.callbackAnswers.filter((a) => a.callback_query_id === query.id).map((a) => a.text)
      : [];
    // leave no report open for the next cell
    const opened = ["/baocao", "/baocao DN", "button baocao", "button bc:{dn}", "button of Lan's report"].includes(
      row.name,
    );
    if (opened) {
      for (const who of new Set<Actor>(place === "private" ? [actor, "secretary"] : ["secretary"])) {
        people[who].send("/huy");
        await log.handled(lastUpdateId(e.standin.updates));
      }
    }
    return { texts, answers };
  }

  /**
   * After a cell of a row that changes state: what changed (when the cell was denied, nothing may
   * have), then the state every cell starts from: the quý II report waiting, no return reason
   * awaited, each cluster's group its own.
   */
  async function changedAndReset(row: Row): Promise<string | null> {
    let changed: string | null = null;
    if (row.name.startsWith("button ap:")) {
      const report = await e.db.db.report.findUniqueOrThrow({ where: { id: pendingReportId } });
      if (report.approval !== "pending") changed = `the quý II report is now ${report.approval}`;
      if (await e.app.services.approvals.pendingReturn(people.leader.id)) changed ??= "a return reason is awaited";
      await e.db.db.report.update({ where: { id: pendingReportId }, data: { approval: "pending" } });
      await e.app.services.approvals.dropPendingReturn(people.leader.id);
    }
    if (row.name === "/ketnoi") {
      const linked = await e.db.db.cluster.findMany({
        where: { linkedGroupChatId: { not: null } },
        select: { code: true, linkedGroupChatId: true },
      });
      if (linked.length > 0)
        changed = `linked ${linked.map((g) => `${g.code}=${String(g.linkedGroupChatId)}`).join(" ")}`;
      await e.db.db.cluster.updateMany({ data: { linkedGroupChatId: null } });
    }
    // a membership or an invitation the row acts on: active and open again
    const membership = /:rmok:\{spare\}/.test(row.name)
      ? spareId
      : /:rmok:\{xaSpare\}/.test(row.name)
        ? xaSpareId
        : null;
    if (membership !== null) {
      const m = await e.db.db.membership.findUniqueOrThrow({ where: { id: membership } });
      if (m.revokedAt) changed = "the membership was ended";
      await e.db.db.membership.update({ where: { id: membership }, data: { revokedAt: null } });
    }
    const invitation = /:ciok:\{inv\}/.test(row.name) ? invId : /:ciok:\{xaInv\}/.test(row.name) ? xaInvId : null;
    if (invitation !== null) {
      const i = await e.db.db.invitation.findUniqueOrThrow({ where: { id: invitation } });
      if (i.cancelledAt) changed = "the invitation was cancelled";
      await e.db.db.invitation.update({ where: { id: invitation }, data: { cancelledAt: null } });
    }
    return changed;
  }

  it("every command and button × every person × every place", async () => {
    const membershipsBefore = await e.db.db.membership.count();
    const failures: string[] = [];
    let allowed = 0;
    let denied = 0;
    for (const row of ROWS) {
      // the token row runs the groups first: a token typed in a group must not be taken
      const places =
        row.name === "/start <token>"
          ? (["clusterGroup", "unknownGroup", "foreignGroup", "private"] as Place[])
          : PLACES;
      for (const actor of ACTORS) {
        for (const place of places) {
          const allow = row.allow[place]?.includes(actor) ?? false;
          if (allow) allowed++;
          else denied++;
          const out = await act(row, actor, place);
          const seen = [...out.texts, ...out.answers.map((a) => a ?? "")];
          const cell = `${row.name} · ${actor} · ${place}`;
          const changed = await changedAndReset(row);
          if (changed && !allow) failures.push(`${cell}: denied, yet ${changed}`);
          const shown = seen.some((t) => row.marker.test(t));
          if (allow && !shown) failures.push(`${cell}: expected allow, got ${JSON.stringify(seen).slice(0, 300)}`);
          if (!allow && shown) failures.push(`${cell}: expected deny, got ${JSON.stringify(seen).slice(0, 300)}`);
          if (row.name.startsWith("button") || row.name.startsWith("forged")) {
            if (out.answers.length !== 1) failures.push(`${cell}: button answered ${out.answers.length} times`);
          } else if (place === "private" && out.texts.length === 0) {
            failures.push(`${cell}: no answer in the private chat`);
          }
          // on deny, and for anyone outside the cluster, no data of the cluster
          const mayShow = allow && row.showsData;
          const outsider = OUTSIDERS.includes(actor);
          if (!mayShow || (outsider && !(allow && row.name === "/start <token>"))) {
            for (const t of seen)
              for (const secret of SECRETS)
                if (t.includes(secret)) failures.push(`${cell}: "${secret}" in ${JSON.stringify(t).slice(0, 200)}`);
          }
          // a stranger is only ever told how to join (or that there is nothing to cancel)
          if (
            (actor === "stranger" || actor === "removed") &&
            place === "private" &&
            !(allow && row.name === "/start <token>")
          ) {
            for (const t of out.texts)
              if (!STRANGER_REPLIES.some((r) => t.startsWith(r))) failures.push(`${cell}: told ${t.slice(0, 200)}`);
            for (const a of out.answers)
              if (![undefined, vi.common.refused, vi.common.staleButton].includes(a))
                failures.push(`${cell}: button answered ${a}`);
          }
          // the member of the other cluster is answered about his own cluster
          if (actor === "otherCluster" && place === "private" && row.name === "/start") {
            expect(seen.join("\n")).toMatch(/Cụm thi đua Miền Trung[\s\S]*Huế/);
          }
          // another board never sees Lan's draft figures
          if (NOT_HANOI.includes(actor)) {
            for (const t of seen)
              for (const f of LAN_FIGURES)
                if (t.includes(f)) failures.push(`${cell}: Lan's figure ${f} in ${t.slice(0, 200)}`);
          }
        }
      }
    }
    const cells = ROWS.length * ACTORS.length * PLACES.length;
    console.log(
      `authorization matrix (${kind.name}): ${ROWS.length} commands and buttons × ${ACTORS.length} people × ${PLACES.length} places = ${cells} cells (${allowed} allow, ${denied} deny)`,
    );
    expect(failures).toEqual([]);
    expect(allowed + denied).toBe(cells);
    // Lan's report is as she left it, and nobody joined except through the token row (one deputy
    // membership each: each new deputy takes over from the previous one, so nobody holds it when invited)
    const values = await e.db.db.reportValue.findMany({
      where: { reportId: { not: pendingReportId } },
      orderBy: { indicatorId: "asc" },
    });
    expect(values.map((v) => v.number)).toEqual([4321, 87.5]);
    // only the quý II report (seeded as submitted) is submitted
    expect(await e.db.db.report.count({ where: { status: "submitted" } })).toBe(1);
    expect(await e.db.db.membership.count()).toBe(membershipsBefore + ACTORS.length);
    expect(await e.db.db.membership.count({ where: { role: "deputy", revokedAt: null } })).toBe(1);
    expectCleanRun(e.standin);
    expect(log.errors()).toEqual([]);
  }, 420_000);

  it("invitation tokens: 256 random bits, unique, stored only as a SHA-256 hash", async () => {
    const tokens: string[] = [];
    for (let n = 0; n < 200; n++) tokens.push(await dnToken());
    expect(TOKEN_BYTES * 8).toBeGreaterThanOrEqual(128);
    for (const t of tokens) {
      // base64url of 32 bytes: 43 characters of a 64-letter alphabet, fits a t.me start payload (≤ 64)
      expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(t, "base64url").length).toBe(TOKEN_BYTES);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
    // every bit position takes both values across the tokens (no constant bytes, no counter)
    const bits = new Array<number>(TOKEN_BYTES * 8).fill(0);
    for (const t of tokens)
      Buffer.from(t, "base64url").forEach((byte, i) => {
        for (let b = 0; b < 8; b++) bits[i * 8 + b]! += (byte >> b) & 1;
      });
    for (const ones of bits) {
      expect(ones).toBeGreaterThan(tokens.length * 0.3);
      expect(ones).toBeLessThan(tokens.length * 0.7);
    }
    // the database has the hash, never the token
    const rows = await e.db.db.invitation.findMany();
    const stored = JSON.stringify(rows, (_, v) => (typeof v === "bigint" ? String(v) : v));
    for (const t of tokens) {
      expect(stored).not.toContain(t);
      expect(stored).toContain(createHash("sha256").update(t).digest("hex"));
      expect(hashToken(t)).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it("invitation tokens: single-use and expiring", async () => {
    const invite = dnToken;
    const used = await invite();
    const a = e.standin.user(501, { first_name: "An" });
    a.send(`/start ${used}`);
    await a.waitForMessage(/Đồng chí đã tham gia/);
    const b = e.standin.user(502, { first_name: "Ba" });
    b.send(`/start ${used}`);
    await b.waitForMessage(vi.start.invitationUsed);
    const short = await invite(1);
    e.clock.advance(2 * 3600_000);
    b.send(`/start ${short}`);
    await b.waitForMessage(vi.start.invitationExpired);
    e.clock.advance(-2 * 3600_000);
    const person = await e.db.db.person.findUnique({ where: { telegramId: 502n } });
    expect(await e.db.db.membership.count({ where: { personId: person!.id } })).toBe(0);
  });

  it("five wrong tokens from one person: the next tries are slowed down (even a right one), for ten minutes", async () => {
    const c = e.standin.user(503, { first_name: "Cường" });
    const wrong = ["A".repeat(43), "cum-thu", "x", `${"B".repeat(42)}!`, "C".repeat(43)];
    for (const token of wrong) {
      c.send(`/start ${token}`);
      await c.waitForMessage(vi.start.invitationUnknown);
    }
    const right = await dnToken();
    c.send(`/start ${"D".repeat(43)}`);
    await c.waitForMessage(vi.start.invitationSlowDown);
    c.send(`/start ${right}`);
    await c.waitForMessage(vi.start.invitationSlowDown);
    // another person is not slowed down by Cường's tries
    const d = e.standin.user(504, { first_name: "Dung" });
    d.send(`/start ${"E".repeat(43)}`);
    await d.waitForMessage(vi.start.invitationUnknown);
    // ten minutes later the right token works (it was not used up meanwhile)
    e.clock.advance(10 * 60_000 + 1);
    c.send(`/start ${right}`);
    await c.waitForMessage(/Đồng chí đã tham gia/);
    expectCleanRun(e.standin);
  });
});
