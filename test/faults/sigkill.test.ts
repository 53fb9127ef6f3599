// SIGKILL at seeded random points of a scripted quarter. The bot is the real
// production entry (src/main.ts) in a child process; the scheduled fan-outs run in
// `cli tick --at <time>` child processes (they send the messages themselves), killed
// while they send. Kinds of trial, each killing once at a seeded step and delay:
//   answer  — right after a secretary typed an answer (before/while it is stored)
//   submit  — right after the secretary pressed "Nộp báo cáo"
//   fanout  — while `cli tick` sends the opening message or a reminder
//   removed — the chair removes a secretary whose report is open while that secretary
//             types an answer (soak only)
//   lich    — right after the chair moved a date with /lich (soak only)
//   approve — right after a board leader pressed "Duyệt" on a submitted report (soak only)
//   grouppost — while `cli tick` posts the summary to the group (soak only; the quarter's last)
// After each kill: every answer the bot confirmed ("Đã lưu") is in the database; a
// new process (bot) or the next tick (fan-out, after the stale-claim delay) goes on;
// the secretary finishes the report; no report is submitted twice (revision 1, one
// report.submit audit entry); every scheduled message reaches each recipient once.
//
// The one duplicate that cannot be avoided: a process killed after Telegram accepted a
// message but before the delivery row was marked "sent". Telegram has no idempotency
// key, so the resumed run cannot know the message went out; it sends again (a lost
// reminder is worse than a repeated one). Such "in doubt" recipients are identified
// exactly (delivery row still pending, message accepted by the stand-in) and are the
// only ones allowed two copies.
//
// CI: 5 trials on SQLite and 3 on PostgreSQL. `npm run test:soak` (SOAK=1): 5 quarters × 10 = 50
// trials per database kind.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { silentLogger } from "../../src/logger.ts";
import { createBotApiStandin } from "../../src/standin/bot-api-standin.ts";
import { type ChildBot, startChildBot, watchOutput } from "../helpers/child-bot.ts";
import { BOT_USERNAME, TOKEN } from "../helpers/e2e.ts";
import { createTestDb, testDbKinds } from "../helpers/test-db.ts";
import {
  answersOf,
  CHAIR_ID,
  DAY,
  DEPUTY_ID,
  INDICATORS,
  knowFaultPeople,
  localMinute,
  MINUTE,
  mulberry32,
  prepareFaultCluster,
  quarterAround,
  SOAK,
  secretaryId,
  sleep,
  storedReport,
} from "./support.ts";

const BOARDS = 14;
const CLUSTER = "cum-loi";
const GROUP_ID = -1009990077;
type TrialKind = "fanout" | "answer" | "submit" | "removed" | "lich" | "approve" | "grouppost";
/** one quarter: ten kills; CI takes the first five (the group post ends the quarter: it comes after the deadline) */
const QUARTER_TRIALS: TrialKind[] = [
  "fanout",
  "answer",
  "submit",
  "fanout",
  "answer",
  "submit",
  "removed",
  "lich",
  "approve",
  "grouppost",
];
/** SIGKILL_QUARTERS, SIGKILL_SEED (the first quarter's seed), SIGKILL_DB=sqlite|postgres: rerun one failure */
const QUARTERS = Number(process.env.SIGKILL_QUARTERS ?? (SOAK ? 5 : 1));
const SEED = process.env.SIGKILL_SEED === undefined ? undefined : Number(process.env.SIGKILL_SEED);
/** SIGKILL_TRIALS=removed,lich,grouppost: these kinds only, in this order */
const TRIALS = process.env.SIGKILL_TRIALS?.split(",") as TrialKind[] | undefined;
const KINDS = testDbKinds().filter((k) => !process.env.SIGKILL_DB || k.name === process.env.SIGKILL_DB);
/** CI: five kills on SQLite, the first three kinds once more on PostgreSQL (each child start costs ~3 s) */
const trialsPerQuarter = (db: string) => (SOAK ? QUARTER_TRIALS.length : db === "sqlite" ? 5 : 3);

/** Totals over the whole file, printed at the end (the closing note quotes them). */
const totals = {
  trials: 0,
  killsMidAnswer: 0,
  killsMidSubmit: 0,
  killsMidFanOut: 0,
  killsAroundRemoval: 0,
  killsAfterDateMove: 0,
  killsAroundApproval: 0,
  killsMidGroupPost: 0,
  inDoubt: 0,
  restarts: 0,
  /** removal notices never shown: the process died between taking the notice and sending it */
  removalNoticesLost: 0,
  /** approval notices left claimed by a process killed right after the decision, delivered by a takeover */
  approvalNoticesTakenOver: 0,
};

function startCli(args: string[], env: Record<string, string>) {
  const proc: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: resolve(import.meta.dirname, "../.."),
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const { output, exited } = watchOutput(proc);
  return {
    output,
    exited,
    kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
      return exited;
    },
  };
}

async function until(cond: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const started = Date.now();
  while (!cond()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what()}`);
    await sleep(5);
  }
}

describe.each(KINDS)("SIGKILL at seeded points of a quarter on $name", (kind) => {
  afterAll(async () => {
    console.info(`[faults/sigkill ${kind.name}] ${JSON.stringify(totals)}`);
  });

  it.each(Array.from({ length: QUARTERS }, (_, i) => i))(
    "quarter %i: kills mid-answer, mid-submit, mid-fan-out, around a removal, a date move, an approval and the group post lose nothing and send nothing twice",
    async (quarterNo) => {
      const seed = SEED === undefined ? 7919 * (quarterNo + 1) + (kind.name === "postgres" ? 17 : 0) : SEED + quarterNo;
      const rng = mulberry32(seed);
      const si = createBotApiStandin({ token: TOKEN, bot: { username: BOT_USERNAME }, waitTimeoutMs: 20_000 });
      const { apiRoot } = await si.start();
      const tdb = await createTestDb(kind);
      const dir = mkdtempSync(join(tmpdir(), "ctd-sigkill-"));
      let bot: ChildBot | undefined;
      try {
        const now = Date.now();
        const configPath = await prepareFaultCluster({ tdb, apiRoot, dir, boards: BOARDS, cluster: CLUSTER, now });
        knowFaultPeople(si, BOARDS, GROUP_ID);

        const env = {
          BOT_TOKEN: TOKEN,
          DATABASE_URL: tdb.url,
          TELEGRAM_API_ROOT: apiRoot,
          CLUSTER_CONFIG: configPath,
          LOG_LEVEL: "info",
          SCHEDULER: "off",
        };
        const startBot = async () => {
          const b = startChildBot(env);
          await until(
            () => b.output().includes("long polling started"),
            30_000,
            () => `the bot to start:\n${b.output()}`,
          );
          return b;
        };
        bot = await startBot();
        const context = (n?: number) =>
          `seed ${seed}${n === undefined ? "" : `, board ${n}`}\n--- chat ---\n${
            n === undefined
              ? ""
              : si
                  .user(secretaryId(n))
                  .messages()
                  .map((m) => `#${m.message_id} ${m.text}`)
                  .join("\n")
          }\n--- bot output (tail) ---\n${bot?.output().slice(-4000)}`;

        const killBot = async () => {
          expect(await bot!.kill("SIGKILL")).toBe("SIGKILL");
        };
        const restartBot = async () => {
          bot = await startBot();
          totals.restarts++;
          await si.waitForIdle({ quietMs: 400, timeoutMs: 20_000 });
        };

        /** Every answer the bot confirmed to board n is stored with the value typed. */
        const expectConfirmedStored = async (n: number) => {
          const confirmed = si
            .user(secretaryId(n))
            .messages()
            .flatMap((m) => {
              const match = /^💾 Đã lưu: (.+?) — /.exec(m.text ?? "");
              return match ? [INDICATORS.findIndex((i) => i.label === match[1])] : [];
            });
          const { values } = await storedReport(tdb, n);
          const answers = answersOf(n);
          for (const i of confirmed) {
            expect(values.get(INDICATORS[i]!.code), `confirmed answer ${i + 1} of board ${n}: ${context(n)}`).toBe(
              answers[i]!.stored,
            );
          }
        };

        const submittedSeen = (n: number) =>
          si
            .user(secretaryId(n))
            .messages()
            .some((m) => /Đã nộp báo cáo quý/.test(m.text ?? ""));

        /** A secretary's whole report, with at most one kill of the bot on the way. */
        const report = async (
          n: number,
          kill: { kind: "answer" | "submit"; index: number; delayMs: number } | null,
        ) => {
          const u = si.user(secretaryId(n));
          const answers = answersOf(n);
          let killed = false;
          u.send("/baocao");
          const screen = /Chỉ tiêu (\d)\/4|Bảng tổng hợp/;
          const nextScreen = () =>
            u.waitForMessage(screen).catch((err: Error) => Promise.reject(new Error(`${err.message}\n${context(n)}`)));
          for (let guard = 0; guard < 40; guard++) {
            let m = await nextScreen();
            // After a restart a screen can come twice: the redelivered press or answer shows one (the
            // review again after "Không lưu được", say), /baocao another. Only the newest one's
            // buttons work (the older ones are stale), so the secretary uses the newest.
            while (u.messages().some((x) => x.message_id > m.message_id && screen.test(x.text ?? ""))) {
              m = await nextScreen();
            }
            const q = /Chỉ tiêu (\d)\/4/.exec(m.text ?? "");
            if (q) {
              const i = Number(q[1]) - 1;
              u.send(answers[i]!.typed);
              if (kill?.kind === "answer" && !killed && i === kill.index) {
                killed = true;
                await sleep(kill.delayMs);
                await killBot();
                totals.killsMidAnswer++;
                await expectConfirmedStored(n);
                await restartBot();
                await expectConfirmedStored(n);
                u.send("/baocao");
                await si.waitForIdle({ quietMs: 300, timeoutMs: 20_000 });
              }
              continue;
            }
            // the review screen: "Nộp lại" means it is submitted already
            const buttons = (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text);
            if (buttons.some((t) => /Nộp lại/.test(t))) return;
            u.press("✅ Nộp báo cáo", { messageId: m.message_id });
            if (kill?.kind === "submit" && !killed) {
              killed = true;
              await sleep(kill.delayMs);
              await killBot();
              totals.killsMidSubmit++;
              await expectConfirmedStored(n);
              await restartBot();
              if (submittedSeen(n)) return;
              // no confirmation seen: the secretary looks again (/baocao shows the review or the next question)
              u.send("/baocao");
              await si.waitForIdle({ quietMs: 300, timeoutMs: 20_000 });
              continue;
            }
            await u.waitForMessage(/Đã nộp báo cáo quý/).catch((err: Error) => {
              throw new Error(`${err.message}\n${context(n)}`);
            });
            return;
          }
          throw new Error(`report of board ${n} did not finish\n${context(n)}`);
        };

        // every chat that receives scheduled messages, and how many each got per action
        const recipients = [...Array.from({ length: BOARDS }, (_, i) => secretaryId(i + 1)), CHAIR_ID, DEPUTY_ID];
        // The chair's and deputy's notices that a board submitted, and the secretaries' notices of a leader's
        // decision, are ledger actions too: one left behind by a kill right after the commit is delivered by the
        // next instance that sweeps for dead claims, often the resumer of a fan-out below. They are not the
        // fan-out's messages.
        const isSubmissionNotice = (chatId: number, messageId: number) => {
          const text =
            si
              .user(chatId)
              .messages()
              .find((m) => m.message_id === messageId)?.text ?? "";
          return (chatId === CHAIR_ID || chatId === DEPUTY_ID ? /đã nộp/ : /đã được lãnh đạo ban/).test(text);
        };
        const countIn = (chatId: number, from: number) =>
          si.accepted.slice(from).filter((a) => a.chat_id === chatId && !isSubmissionNotice(chatId, a.message_id))
            .length;
        let scheduledDuplicatesAllowed = 0;
        const scheduledChats = new Set<number>();

        /** `cli tick --at` killed mid-fan-out, then the next tick (after the stale-claim delay) resumes it. */
        const fanOut = async (at: number, delayMs: number | null) => {
          const submittedBoards = new Set<number>();
          for (let n = 1; n <= BOARDS; n++)
            if ((await storedReport(tdb, n)).report?.status === "submitted") submittedBoards.add(n);
          const from = si.accepted.length;
          const iso = new Date(at).toISOString();
          const cli = startCli(["tick", "--at", iso], { ...env, LOG_LEVEL: "warn" });
          let killedMid = false;
          if (delayMs !== null) {
            await until(
              () => si.accepted.length > from || cli.output().length > 0,
              30_000,
              () => `the tick to send:\n${cli.output()}`,
            );
            await sleep(delayMs);
            const exit = await cli.kill();
            killedMid = exit === "SIGKILL";
            if (killedMid) totals.killsMidFanOut++;
          } else {
            expect(await cli.exited, cli.output()).toBe(0);
          }
          // in doubt: the delivery row is still pending but Telegram took the message
          const pending = await tdb.db.messageDelivery.findMany({ where: { status: "pending" } });
          const inDoubt = new Set(pending.map((p) => Number(p.chatId)).filter((chatId) => countIn(chatId, from) > 0));
          totals.inDoubt += inDoubt.size;
          scheduledDuplicatesAllowed += inDoubt.size;
          // the next tick, six minutes of claim age later (a new process: in-process here)
          const later = { now: () => new Date(Date.now() + 6 * MINUTE) };
          const resumer = createApp({
            databaseUrl: tdb.url,
            botToken: TOKEN,
            apiRoot,
            clock: later,
            logger: silentLogger(),
          });
          try {
            await resumer.scheduler.tick(new Date(at));
          } finally {
            await resumer.close();
          }
          await si.waitForIdle({ quietMs: 200, timeoutMs: 20_000 });
          const unfinished = await tdb.db.scheduledAction.findMany({ where: { status: "claimed" } });
          expect(unfinished, "every claimed action finished").toEqual([]);
          // each secretary of a board that had not submitted: one message (two only when in doubt)
          const got = recipients.map((chatId) => [chatId, countIn(chatId, from)] as const);
          for (const [chatId, count] of got) {
            const board = chatId - secretaryId(0);
            const expected = chatId === CHAIR_ID || chatId === DEPUTY_ID ? 0 : submittedBoards.has(board) ? 0 : 1;
            if (expected > 0) scheduledChats.add(chatId);
            expect(
              count,
              `messages to ${chatId} at ${iso} (seed ${seed}, in doubt: ${[...inDoubt]})\n${cli.output()}`,
            ).toBe(expected + (inDoubt.has(chatId) ? 1 : 0));
          }
          return killedMid;
        };

        const removedBoards = new Set<number>();
        const secretaryMembership = (n: number) =>
          tdb.db.membership.findFirst({
            where: { person: { telegramId: BigInt(secretaryId(n)) }, role: "secretary" },
          });

        /**
         * The chair removes board n's secretary (the confirmed removal button) while the secretary,
         * `answered` answers into the report, types the next one; the bot is killed `delayMs` later.
         * Then: every confirmed answer stored; the removal done once (pressed again if the press was
         * lost); nothing the removed secretary sends afterwards is stored; their conversation is gone;
         * the removal notice shown at most once.
         */
        const removeMidReport = async (n: number, answered: number, delayMs: number) => {
          const u = si.user(secretaryId(n));
          const chair = si.user(CHAIR_ID);
          const answers = answersOf(n);
          const fail = (err: Error) => Promise.reject(new Error(`${err.message}\n${context(n)}`));
          u.send("/baocao");
          for (let i = 0; i < answered; i++) {
            await u.waitForMessage(new RegExp(`Chỉ tiêu ${i + 1}/4`)).catch(fail);
            u.send(answers[i]!.typed);
          }
          await u.waitForMessage(new RegExp(`Chỉ tiêu ${answered + 1}/4`)).catch(fail);
          const membership = (await secretaryMembership(n))!;
          chair.send("/thanhvien");
          await chair.waitForMessage(/./);
          const remove = () => chair.forgeCallback(`mb:rmok:${membership.id}`);
          remove();
          u.send(answers[answered]!.typed);
          await sleep(delayMs);
          await killBot();
          totals.killsAroundRemoval++;
          await expectConfirmedStored(n);
          await restartBot();
          await expectConfirmedStored(n);
          // a press lost with the process: the chair presses again (a second press finds it ended)
          remove();
          await until(
            () => chair.messages().some((m) => /Đã chấm dứt vai trò/.test(m.text ?? "")),
            20_000,
            () => `the removal to be confirmed to the chair\n${context(n)}`,
          ).catch(async (err: Error) => {
            // the first press did it before the kill and its reply was lost: the second one is refused
            if ((await secretaryMembership(n))?.revokedAt) return;
            throw err;
          });
          await si.waitForIdle({ quietMs: 300, timeoutMs: 20_000 });
          const ended = (await secretaryMembership(n))!;
          expect(ended.revokedAt, context(n)).not.toBeNull();
          const revokes = await tdb.db.auditEntry.findMany({
            where: { action: "membership.revoke", entityId: String(membership.id) },
          });
          expect(revokes, context(n)).toHaveLength(1);
          // the removed secretary writes again: nothing of it is stored
          const before = (await storedReport(tdb, n)).values;
          u.send("77");
          await si.waitForIdle({ quietMs: 300, timeoutMs: 20_000 });
          expect((await storedReport(tdb, n)).values, context(n)).toEqual(before);
          const stateLeft = await tdb.db.conversationState.findMany({
            where: { key: `report:${secretaryId(n)}` },
          });
          expect(stateLeft, context(n)).toEqual([]);
          const notices = u.messages().filter((m) => /đã kết thúc từ/.test(m.text ?? "")).length;
          expect(notices, context(n)).toBeLessThanOrEqual(1);
          if (notices === 0) totals.removalNoticesLost++;
        };

        /**
         * The chair moves the briefing a day later with /lich; the bot is killed `delayMs` later. With no
         * confirmation seen the chair sends it again. The period has the new date, the other dates are
         * unchanged, and a restart (which applies the cluster file again) keeps it.
         */
        const moveDate = async (delayMs: number) => {
          const chair = si.user(CHAIR_ID);
          const period = await tdb.db.period.findFirst({ where: { opensAt: new Date(q.opens) } });
          if (!period) throw new Error("no current period");
          const target = q.briefing + DAY + 30 * MINUTE;
          const [date, time] = localMinute(target).split("T") as [string, string];
          const [y, mo, d] = date.split("-");
          const command = `/lich Q${period.quarter}/${period.year} giaoban ${d}/${mo}/${y} ${time}`;
          const movedSeen = () => chair.messages().some((m) => /Đã dời/.test(m.text ?? ""));
          const seenBefore = chair.messages().filter((m) => /Đã dời/.test(m.text ?? "")).length;
          chair.send(command);
          await sleep(delayMs);
          await killBot();
          totals.killsAfterDateMove++;
          await restartBot();
          if (chair.messages().filter((m) => /Đã dời/.test(m.text ?? "")).length === seenBefore) {
            chair.send(command);
            await until(movedSeen, 20_000, () => `the date move to be confirmed:\n${context()}`);
          }
          const moved = (await tdb.db.period.findUnique({ where: { id: period.id } }))!;
          expect(moved.briefingAt.getTime(), `${command}\n${context()}`).toBe(target);
          expect(moved.deadline.getTime()).toBe(period.deadline.getTime());
          expect(moved.opensAt.getTime()).toBe(period.opensAt.getTime());
          expect(moved.summaryPostAt.getTime()).toBe(period.summaryPostAt.getTime());
          // a restart applies the cluster file again: the chair's move stays
          await killBot();
          await restartBot();
          const after = (await tdb.db.period.findUnique({ where: { id: period.id } }))!;
          expect(after.briefingAt.getTime(), context()).toBe(target);
        };

        /**
         * `cli tick` at the summary post time, killed `delayMs` after its first message, then the next
         * tick resumes: the group gets the post, and a second copy of it only when the kill left the
         * post in doubt (the delivery row still pending after Telegram took a message).
         */
        const groupPost = async (delayMs: number) => {
          const from = si.accepted.length;
          const at = q.summaryPost + MINUTE;
          const iso = new Date(at).toISOString();
          const cli = startCli(["tick", "--at", iso], { ...env, LOG_LEVEL: "warn" });
          await until(
            () => si.accepted.slice(from).some((a) => a.chat_id === GROUP_ID) || cli.output().length > 0,
            60_000,
            () => `the tick to post:\n${cli.output()}`,
          );
          await sleep(delayMs);
          if ((await cli.kill()) === "SIGKILL") totals.killsMidGroupPost++;
          const pending = await tdb.db.messageDelivery.findMany({ where: { status: "pending" } });
          const inDoubt = new Set(
            pending.map((p) => Number(p.chatId)).filter((c) => si.accepted.slice(from).some((a) => a.chat_id === c)),
          );
          totals.inDoubt += inDoubt.size;
          const later = { now: () => new Date(Date.now() + 6 * MINUTE) };
          const resumer = createApp({
            databaseUrl: tdb.url,
            botToken: TOKEN,
            apiRoot,
            clock: later,
            logger: silentLogger(),
          });
          try {
            await resumer.scheduler.tick(new Date(at));
          } finally {
            await resumer.close();
          }
          await si.waitForIdle({ quietMs: 200, timeoutMs: 20_000 });
          const unfinished = await tdb.db.scheduledAction.findMany({ where: { status: "claimed" } });
          expect(unfinished, "every claimed action finished").toEqual([]);
          const post = await tdb.db.scheduledAction.findFirst({
            where: { kind: "summary_post", dueAt: new Date(q.summaryPost) },
          });
          const posts = await tdb.db.scheduledAction.findMany({ where: { kind: "summary_post" } });
          expect(post?.status, `the summary post (seed ${seed}): ${JSON.stringify(posts)}`).toBe("done");
          // per chat: each message once, the whole post (or notice) twice only where it was in doubt
          const byChat = new Map<number, string[]>();
          for (const a of si.accepted.slice(from))
            byChat.set(a.chat_id, [...(byChat.get(a.chat_id) ?? []), a.fingerprint]);
          expect(byChat.has(GROUP_ID), `the group got the post (seed ${seed})`).toBe(true);
          for (const [chatId, prints] of byChat) {
            const unique = new Set(prints).size;
            expect(
              prints.length - unique,
              `repeated messages to ${chatId} (seed ${seed}, in doubt: ${[...inDoubt]})\n${cli.output()}`,
            ).toBeLessThanOrEqual(inDoubt.has(chatId) ? unique : 0);
          }
        };

        /**
         * With approval required (switched on in the database for this report only: a restart applies
         * the cluster file, which has it off), board n submits; its leader presses "Duyệt" and the bot
         * is killed `delayMs` later. With the report still pending the leader presses again. The report
         * is approved once (one audit entry); the leader is told at most once, the secretary exactly once.
         */
        const approveAroundKill = async (n: number, delayMs: number) => {
          const leaderId = 600_000 + n;
          const leader = si.user(leaderId, { first_name: `Lãnh đạo ${n}`, known: true });
          const cluster = (await tdb.db.cluster.findFirst({ where: { code: CLUSTER } }))!;
          const board = (await tdb.db.board.findFirst({ where: { code: `B${String(n).padStart(2, "0")}` } }))!;
          const person = await tdb.repos.people.upsert({ telegramId: BigInt(leaderId), firstName: `Lãnh đạo ${n}` });
          await tdb.db.membership.create({
            data: { personId: person.id, clusterId: cluster.id, role: "leader", boardId: board.id },
          });
          await tdb.repos.people.setActiveCluster(person.id, cluster.id);
          await tdb.db.cluster.update({ where: { id: cluster.id }, data: { approvalRequired: true } });
          try {
            await report(n, null);
          } finally {
            await tdb.db.cluster.update({ where: { id: cluster.id }, data: { approvalRequired: false } });
          }
          const submitted = (await storedReport(tdb, n)).report!;
          expect(submitted.approval, context(n)).toBe("pending");
          await leader.waitForMessage((m) => JSON.stringify(m.reply_markup ?? {}).includes("ap:ok"));
          const approve = () => leader.forgeCallback(`ap:ok:${submitted.id}:${submitted.revision}`);
          approve();
          await sleep(delayMs);
          await killBot();
          totals.killsAroundApproval++;
          await restartBot();
          if ((await storedReport(tdb, n)).report?.approval === "pending") {
            // the press went down with the process: the leader presses again
            approve();
            await until(
              () => leader.messages().some((m) => /Đồng chí đã duyệt/.test(m.text ?? "")),
              20_000,
              () => `the approval to be confirmed:\n${context(n)}`,
            );
          }
          await si.waitForIdle({ quietMs: 300, timeoutMs: 20_000 });
          const { report: r, audits } = await storedReport(tdb, n);
          expect(r?.approval, context(n)).toBe("approved");
          expect(
            audits.filter((a) => a.action === "report.approve"),
            context(n),
          ).toHaveLength(1);
          const confirmations = leader.messages().filter((m) => /Đồng chí đã duyệt/.test(m.text ?? "")).length;
          expect(confirmations).toBeLessThanOrEqual(1);
          const toldNow = () =>
            si
              .user(secretaryId(n))
              .messages()
              .filter((m) => /đã được lãnh đạo ban duyệt/.test(m.text ?? "")).length;
          if (toldNow() === 0) {
            // killed between the decision's commit and the notice: the notice is left claimed by the dead
            // process (it used to be lost, once in 4 SQLite approval kills). The bot runs with SCHEDULER=off
            // here, so another instance's takeover sweep delivers it (its clock 6 minutes on: the claim is stale).
            const sweeper = createApp({
              databaseUrl: tdb.url,
              botToken: TOKEN,
              apiRoot,
              clock: { now: () => new Date(Date.now() + 6 * MINUTE) },
              logger: silentLogger(),
            });
            try {
              const lines = await sweeper.scheduler.resume(new Date());
              if (lines.some((l) => l.kind === "approval_decided")) totals.approvalNoticesTakenOver++;
            } finally {
              await sweeper.close();
            }
            await si.waitForIdle({ quietMs: 300, timeoutMs: 20_000 });
          }
          // the secretary is told exactly once
          expect(toldNow(), context(n)).toBe(1);
        };

        const q = quarterAround(now);
        const ticks = [q.opens + MINUTE, ...q.reminders.map((r) => r + MINUTE)];
        let nextTick = 0;
        let nextBoard = 1;
        const trials = TRIALS ?? QUARTER_TRIALS.slice(0, trialsPerQuarter(kind.name));
        for (const trial of trials) {
          totals.trials++;
          if (trial === "fanout") {
            // 14 recipients at 25 messages/s: about 560 ms of sending
            await fanOut(ticks[nextTick++]!, Math.floor(rng() * 500));
          } else if (trial === "removed") {
            const n = nextBoard++;
            removedBoards.add(n);
            await removeMidReport(n, 1 + Math.floor(rng() * 3), Math.floor(rng() * 150));
          } else if (trial === "approve") {
            await approveAroundKill(nextBoard++, Math.floor(rng() * 100));
          } else if (trial === "lich") {
            await moveDate(Math.floor(rng() * 100));
          } else if (trial === "grouppost") {
            await groupPost(Math.floor(rng() * 800));
          } else {
            const n = nextBoard++;
            const index = Math.floor(rng() * 4);
            const delayMs = Math.floor(rng() * (trial === "answer" ? 60 : 120));
            await report(n, { kind: trial, index, delayMs });
          }
        }
        // the boards that reported: everything stored as typed, submitted exactly once
        for (let n = 1; n < nextBoard; n++) {
          if (removedBoards.has(n)) continue;
          const { report: r, values, audits } = await storedReport(tdb, n);
          expect(r?.status, context(n)).toBe("submitted");
          expect(r?.revision, context(n)).toBe(1);
          expect(audits.filter((a) => a.action === "report.submit")).toHaveLength(1);
          expect(audits.filter((a) => a.action === "report.resubmit")).toHaveLength(0);
          expect([...INDICATORS].map((i) => values.get(i.code))).toEqual(answersOf(n).map((a) => a.stored));
        }
        // the stand-in's own view, in the chats of boards that never talked to the bot (only scheduled
        // messages there): duplicates only where a kill left a delivery in doubt
        const silent = new Set([...scheduledChats].filter((c) => c - secretaryId(0) >= nextBoard));
        const scheduledDuplicates = si
          .duplicates()
          .filter((g) => silent.has(g[0]!.chat_id))
          .reduce((sum, g) => sum + g.length - 1, 0);
        expect(scheduledDuplicates).toBeLessThanOrEqual(scheduledDuplicatesAllowed);
      } finally {
        await bot?.kill("SIGKILL");
        await si.stop();
        await tdb.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    SOAK ? 300_000 : 120_000,
  );
});
