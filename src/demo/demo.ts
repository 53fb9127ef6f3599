// `npm run demo`: a whole quarter of the example cluster, played by scripted people
// against the real bot, on a temporary SQLite database and the local Bot API
// stand-in (loopback only). The calendar is simulated: a clock the demo moves, with
// the scheduler ticked at each step as node-cron would do every minute.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createApp } from "../app.ts";
import { startPolling } from "../bot/run.ts";
import { summaryPlainText } from "../bot/views/summary.view.ts";
import { loadClusterConfigFile } from "../cluster-config/index.ts";
import { migrate } from "../db/migrator.ts";
import { localDateTimeToInstant } from "../domain/zoned-time.ts";
import { createLogger } from "../logger.ts";
import { fixedClock } from "../services/clock.ts";
import { type BotApiStandin, createBotApiStandin, type UserHandle } from "../standin/bot-api-standin.ts";
import { createTranscript, type Transcript } from "./transcript.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const EXAMPLE = join(ROOT, "docs/examples/btc-5tp.yaml");
const TZ = "Asia/Ho_Chi_Minh";
const TOKEN = "7000000042:demo-token-for-the-local-stand-in-only";
const BOT_USERNAME = "cumthidua_demo_bot";
const GROUP_ID = -1001000000042;

export interface DemoResult {
  outDir: string;
  transcript: string[];
  files: {
    transcript: string;
    chart: string;
    workbook: string;
    report: string;
    yearReport: string;
    summary: string;
    log: string;
  };
  seconds: number;
}

/** "20/09 08:00" of 2026 in Hà Nội time. */
function at(day: number, month: number, hour: number, minute = 0): Date {
  return localDateTimeToInstant({ year: 2026, month, day, hour, minute }, TZ);
}

// The quarter's figures, in the order of the example's indicators (ket_nap … de_an,
// bvct_ho_so, then the two free-text notes). Q2 is history, loaded before the demo.
const FIGURES: Record<string, { q2: number[]; q3: string[] }> = {
  HN: {
    q2: [1180, 1020, 14, 6, 96, 41, 310, 22, 7, 260],
    q3: [
      "1.240",
      "1.105",
      "16",
      "7",
      "102",
      "38",
      "325",
      "24",
      "8",
      "275",
      "Hoàn thành sớm đề án sắp xếp bộ máy",
      "skip",
    ],
  },
  HCM: { q2: [1510, 1390, 19, 11, 120, 52, 405, 30, 9, 330], q3: [] },
  HP: { q2: [610, 575, 8, 3, 45, 22, 160, 12, 4, 140], q3: [] },
  DN: { q2: [420, 390, 6, 2, 33, 15, 110, 9, 3, 95], q3: [] },
  CT: { q2: [380, 340, 5, 2, 30, 14, 98, 8, 3, 90], q3: [] },
  HUE: { q2: [350, 320, 4, 2, 28, 12, 90, 7, 3, 85], q3: [] },
};

export async function runDemo(opts: { outDir: string; print?: (line: string) => void }): Promise<DemoResult> {
  const started = performance.now();
  const print = opts.print ?? (() => undefined);
  const outDir = resolve(opts.outDir);
  mkdirSync(outDir, { recursive: true });
  const dbDir = mkdtempSync(join(tmpdir(), "cum-thi-dua-demo-"));
  const databaseUrl = `file:${join(dbDir, "demo.db")}`;
  const logFile = join(outDir, "bot.log");
  // The bot logs one "update" line after each update is fully handled (replies sent):
  // counting them tells the demo when the bot is done with what a person did.
  writeFileSync(logFile, "");
  let handled = 0;
  const logger = createLogger("info", {
    write(line: string) {
      appendFileSync(logFile, line);
      if (line.includes('"msg":"update"')) handled++;
    },
  });

  const standin: BotApiStandin = createBotApiStandin({ token: TOKEN, bot: { username: BOT_USERNAME } });
  const { apiRoot } = await standin.start();
  const clock = fixedClock(at(18, 9, 9));
  await migrate(databaseUrl);
  const app = createApp({ databaseUrl, botToken: TOKEN, apiRoot, clock, logger, sendsPerSecond: 200 });
  const config = await loadClusterConfigFile(EXAMPLE);
  await app.services.config.apply(config);
  const polling = await startPolling(app.bot, { timeoutSeconds: 1 });

  const names = new Map<number, string>([[GROUP_ID, "nhóm của cụm"]]);
  const t: Transcript = createTranscript({
    standin,
    now: () => clock.now(),
    tz: TZ,
    nameOf: (id) => names.get(id) ?? String(id),
    print,
  });
  const settle = async () => {
    const deadline = Date.now() + 15_000;
    while (handled < standin.updates.length) {
      if (Date.now() > deadline) throw new Error("the bot did not finish handling an update within 15 s");
      await new Promise((r) => setTimeout(r, 5));
    }
    t.flush();
  };
  const say = async (u: UserHandle, text: string) => {
    t.person(names.get(u.id)!, text);
    u.send(text);
    await settle();
  };
  const press = async (u: UserHandle, button: string) => {
    t.person(names.get(u.id)!, `[bấm «${button}»]`);
    u.press(button);
    await settle();
  };
  /** /baocao, every answer ("skip" presses Bỏ qua), then Nộp báo cáo. */
  const reportInOneGo = async (u: UserHandle, answers: string[]) => {
    await say(u, "/baocao");
    for (const v of answers) {
      if (v === "skip") await press(u, "⏭ Bỏ qua");
      else await say(u, v);
    }
    await press(u, "✅ Nộp báo cáo");
  };
  const tick = async () => {
    const lines = await app.scheduler.tick(clock.now());
    for (const l of lines) if (l.outcome !== "skipped") t.note(`lịch: ${l.kind} (${l.key}) → ${l.sent} tin nhắn`);
    await settle();
  };
  const moveTo = (d: Date) => clock.set(d);
  const person = (id: number, name: string, label: string) => {
    names.set(id, `${name} (${label})`);
    return standin.user(id, { first_name: name });
  };
  const linkToken = (text: string) => /start=([A-Za-z0-9_-]{43})/.exec(text)?.[1];

  try {
    const cluster = (await app.repos.clusters.findByCode(config.cluster.code))!;
    t.note(`Demo: ${cluster.name} — quý III/2026, giờ Hà Nội, cơ sở dữ liệu SQLite tạm, Bot API giả lập ${apiRoot}`);

    // The operator invites the chair (as `npm run cli -- invite btc-5tp --role chair` does).
    const chair = person(9001, "Hạnh", "cụm trưởng, Ban Tổ chức Thành ủy Hà Nội");
    const chairInvite = await app.services.invitations.create({
      clusterCode: cluster.code,
      role: "chair",
      boardCode: "HN",
      createdByPersonId: null,
      botUsername: BOT_USERNAME,
    });
    if (!chairInvite.ok) throw new Error("chair invitation failed");
    t.note("Người vận hành tạo lời mời cụm trưởng bằng CLI và gửi riêng cho đồng chí Hạnh");
    await say(chair, `/start ${chairInvite.value.token}`);

    // The chair invites a deputy and one secretary per board from the chat.
    const people: Record<string, UserHandle> = {};
    const invitees: [string, number, string, string][] = [
      ["cumpho", 9002, "Dũng", "cụm phó, Ban Tổ chức Thành ủy TP. Hồ Chí Minh"],
      ["HN", 9101, "Lan", "thư ký Hà Nội"],
      ["HCM", 9102, "Tuấn", "thư ký TP.HCM"],
      ["HP", 9103, "Hoa", "thư ký Hải Phòng"],
      ["DN", 9104, "Minh", "thư ký Đà Nẵng"],
      ["CT", 9105, "Nam", "thư ký Cần Thơ"],
      ["HUE", 9106, "Thảo", "thư ký Huế"],
    ];
    for (const [arg, id, name, label] of invitees) {
      await say(chair, `/moi ${arg}`);
      const token = linkToken(chair.last()?.text ?? "");
      if (!token) throw new Error(`no invitation link for ${arg}`);
      const u = person(id, name, label);
      await say(u, `/start ${token}`);
      people[arg] = u;
    }
    // The chair adds the bot to the cluster's group and links it with /ketnoi (no numeric id to look up).
    const group = standin.group(GROUP_ID, "Cụm thi đua Ban Tổ chức các Thành ủy trực thuộc TW", {
      type: "supergroup",
    });
    const chairInGroup = group.member(chair);
    t.person("Hạnh (trong nhóm)", "/ketnoi");
    chairInGroup.send("/ketnoi");
    await settle();

    // History: quý II/2026 was reported before the demo starts (for the ▲▼ comparison).
    const q2 = await app.services.periods.ensure(cluster, { year: 2026, quarter: 2 });
    const set = (await app.repos.clusters.indicatorSet(q2.indicatorSetId))!;
    for (const [code, figures] of Object.entries(FIGURES)) {
      const board = (await app.repos.clusters.boardByCode(cluster.id, code))!;
      const secretary = (await app.repos.people.byTelegramId(BigInt(people[code]!.id)))!;
      const report = await app.repos.reports.getOrCreate(q2.id, board.id);
      for (const [i, value] of figures.q2.entries()) {
        const ind = set.indicators[i]!;
        await app.repos.reports.saveValue({
          reportId: report.id,
          indicatorId: ind.id,
          value: { kind: "number", value },
          personId: secretary.id,
          at: at(2, 7, 10),
        });
      }
      await app.repos.reports.submit(report.id, 0, secretary.id, at(2, 7, 10), false);
    }
    t.note("Số liệu quý II/2026 của 6 đơn vị đã có sẵn (để so sánh ▲▼)");

    // The period opens on Monday 21/09 08:00: the calendar's 20/09 is a Sunday, moved to the next working day.
    // Every secretary gets the announcement.
    moveTo(at(20, 9, 8));
    await tick();
    moveTo(at(21, 9, 8));
    await tick();

    // Hà Nội reports at once, from the button in the announcement.
    moveTo(at(21, 9, 9, 30));
    const lan = people.HN!;
    await press(lan, "baocao");
    for (const v of FIGURES.HN!.q3) {
      if (v === "skip") await press(lan, "⏭ Bỏ qua");
      else await say(lan, v);
    }
    await press(lan, "✅ Nộp báo cáo");

    // TP.HCM makes typos, goes back once, and fixes them.
    moveTo(at(22, 9, 14));
    const tuan = people.HCM!;
    await say(tuan, "/baocao");
    for (const v of ["1,5", "abc", "mười hai", "1.560 người"]) await say(tuan, v);
    await say(tuan, "-3");
    await say(tuan, "1.402");
    await say(tuan, "21");
    await press(tuan, "⬅️ Quay lại");
    await say(tuan, "20");
    for (const v of ["12", "125", "55", "418", "31", "10", "342"]) await say(tuan, v);
    await say(tuan, "Chuyển đổi số công tác đảng viên");
    await say(tuan, "Thiếu biên chế cán bộ làm công tác tổ chức cơ sở");
    await press(tuan, "✅ Nộp báo cáo");

    // Hải Phòng types a figure ten times last quarter's; the bot asks before storing it.
    moveTo(at(24, 9, 10));
    const hoa = people.HP!;
    await say(hoa, "/baocao");
    for (const v of ["598", "560", "7", "3"]) await say(hoa, v);
    await say(hoa, "450");
    await press(hoa, "✏️ Nhập lại");
    await say(hoa, "48");
    for (const v of ["20", "155", "11", "4", "133"]) await say(hoa, v);
    await press(hoa, "⏭ Bỏ qua");
    await press(hoa, "⏭ Bỏ qua");
    await press(hoa, "✅ Nộp báo cáo");

    // Đà Nẵng answers half and pauses; then Minh moves to another job. The chair removes him
    // from /thanhvien (with a confirmation) and invites Quang, who finishes the same report.
    moveTo(at(28, 9, 15));
    const minh = people.DN!;
    await say(minh, "/baocao");
    for (const v of ["436", "401", "6", "2", "35"]) await say(minh, v);
    await say(minh, "/huy");
    moveTo(at(29, 9, 9));
    await say(chair, "/thanhvien");
    const removeMinh = chair
      .messages()
      .flatMap((m) => (m.reply_markup?.inline_keyboard ?? []).flat())
      .find((b) => / Minh$/.test(b.text))?.text;
    if (!removeMinh) throw new Error("no remove button for Minh");
    await press(chair, removeMinh);
    await press(chair, "✅ Xác nhận chấm dứt");
    await say(chair, "/moi DN");
    const quangToken = linkToken(chair.last()?.text ?? "");
    if (!quangToken) throw new Error("no invitation link for Quang");
    const quang = person(9107, "Quang", "thư ký Đà Nẵng, thay đồng chí Minh");
    await say(quang, `/start ${quangToken}`);
    moveTo(at(29, 9, 10));
    // Minh is told once, and sees nothing of the cluster any more
    await say(minh, "/baocao");
    await say(minh, "/baocao");
    moveTo(at(1, 10, 8, 30));
    await say(quang, "/baocao");
    for (const v of ["16", "118", "9", "3", "101"]) await say(quang, v);
    await press(quang, "⏭ Bỏ qua");
    await press(quang, "⏭ Bỏ qua");
    await press(quang, "✅ Nộp báo cáo");

    // Huế, the sixth centrally-run city since 2025, reports in one go.
    moveTo(at(1, 10, 14));
    await reportInOneGo(people.HUE!, [
      ...["362", "331", "4", "2", "30", "13", "96", "7", "3", "88"],
      "Kiện toàn tổ chức bộ máy sau khi trở thành thành phố trực thuộc Trung ương",
      "skip",
    ]);

    // 02/10 17:00 — three days before the deadline: only Cần Thơ has not submitted.
    moveTo(at(2, 10, 17));
    await tick();

    // The 1-day reminder would fall on Sunday 04/10: no reminder is sent on a day off.
    moveTo(at(4, 10, 17));
    await tick();

    // Hà Nội corrects one figure before the deadline (revision 2, audited).
    moveTo(at(5, 10, 10));
    await say(lan, "/baocao");
    await press(lan, "✏️ Sửa chỉ tiêu…");
    await press(lan, "6");
    await say(lan, "39");
    await press(lan, "✅ Nộp lại báo cáo");

    // The chair checks: the briefing of Saturday 10/10 was moved to Monday 12/10.
    moveTo(at(5, 10, 11));
    await say(chair, "/trangthai");
    moveTo(at(5, 10, 15));
    await tick();
    moveTo(at(5, 10, 17));
    await tick();

    // Cần Thơ submits the next morning: recorded as late (nộp muộn).
    moveTo(at(6, 10, 8, 15));
    await reportInOneGo(people.CT!, [
      ...["371", "352", "5", "2", "28", "13", "102", "8", "2", "88"],
      "skip",
      "Đề nghị tăng kinh phí bồi dưỡng cấp ủy cơ sở",
    ]);

    // 09/10 16:00 — the summary goes to the cluster's group; the chair asks for it too.
    moveTo(at(9, 10, 16));
    await tick();
    moveTo(at(9, 10, 16, 30));
    t.person("Hạnh (trong nhóm)", "/tongket Q3");
    chairInGroup.send("/tongket Q3");
    await settle();
    // …and the year so far (tổng kết năm): its ranking, spreadsheet and report document.
    moveTo(at(9, 10, 16, 35));
    t.person("Hạnh (trong nhóm)", "/tongket 2026");
    chairInGroup.send("/tongket 2026");
    await settle();

    // The year-end meeting chose TP.HCM to chair 2027: Hạnh hands over to Tuấn on 08/01/2027.
    // From then on Hạnh's chair powers end; documents still name her for 2026's quarters.
    moveTo(new Date("2027-01-08T02:00:00Z"));
    await say(chair, "/moi cumtruong HCM");
    const handoverToken = linkToken(chair.last()?.text ?? "");
    if (!handoverToken) throw new Error("no chair invitation link");
    await say(tuan, `/start ${handoverToken}`);
    names.set(tuan.id, "Tuấn (cụm trưởng 2027, thư ký TP.HCM)");
    await say(chair, "/thanhvien");
    const q4Chair = await app.services.members.chairOfPeriod(cluster, { year: 2026, quarter: 4 });
    const q1Chair = await app.services.members.chairOfPeriod(cluster, { year: 2027, quarter: 1 });
    t.note(
      `Cụm trưởng theo kỳ (dùng cho văn bản): quý IV/2026 — ${q4Chair?.person.firstName} (${q4Chair?.board?.shortName}); quý I/2027 — ${q1Chair?.person.firstName} (${q1Chair?.board?.shortName})`,
    );
    await say(tuan, "/thanhvien");

    // Files: exactly what the group received, plus the transcript and the plain summary.
    const photo = group.messages().find((m) => m.photo)?.photo;
    const documents = group.messages().flatMap((m) => (m.document ? [m.document] : []));
    const workbook = documents.find((d) => d.filename?.endsWith(".xlsx"));
    const report = documents.find((d) => d.filename?.endsWith("-2026-Q3.docx"));
    const yearReport = documents.find((d) => d.filename?.endsWith("-2026.docx"));
    if (!photo || !workbook || !report || !yearReport) {
      throw new Error("the group did not receive the chart, the spreadsheet and the report documents");
    }
    const files = {
      transcript: join(outDir, "transcript.txt"),
      chart: join(outDir, "summary-chart.png"),
      workbook: join(outDir, "summary.xlsx"),
      report: join(outDir, "report.docx"),
      yearReport: join(outDir, "report-2026.docx"),
      summary: join(outDir, "summary.txt"),
      log: logFile,
    };
    writeFileSync(files.chart, photo.bytes);
    writeFileSync(files.workbook, workbook.bytes);
    writeFileSync(files.report, report.bytes);
    writeFileSync(files.yearReport, yearReport.bytes);
    const s = await app.summary.build(cluster, { year: 2026, quarter: 3 }, clock.now());
    writeFileSync(files.summary, `${summaryPlainText(s!, { details: true })}\n`);
    const seconds = (performance.now() - started) / 1000;
    t.note(`Xong trong ${seconds.toFixed(1)} giây (thời gian thật). Tệp: ${outDir}`);
    writeFileSync(files.transcript, `${t.lines().join("\n")}\n`);
    return { outDir, transcript: t.lines(), files, seconds };
  } finally {
    await polling.stop();
    await app.close();
    await standin.stop();
    rmSync(dbDir, { recursive: true, force: true });
  }
}
