// The operator's command line: `npm run cli -- <command>` (also the package's bin).
// Each command exits 0 on success, 2 on bad configuration (environment or cluster
// file), 1 on any other failure, with the reason on stderr.
import { parseArgs } from "node:util";
import { Api } from "grammy";
import { createApp } from "../app.ts";
import { ClusterConfigError, ClusterConfigErrors, loadClusterConfigFile } from "../cluster-config/index.ts";
import { shortNameWarnings } from "../cluster-config/warnings.ts";
import { type Config, ConfigError, loadConfig, requireBotToken } from "../config.ts";
import { backupSqlite } from "../db/backup.ts";
import { migrate } from "../db/migrator.ts";
import { ROLES, type Role } from "../domain/types.ts";
import { silentLogger } from "../logger.ts";
import { systemClock } from "../services/clock.ts";
import {
  runInvitationsCommand,
  runMembersCommand,
  runRevokeCommand,
  runRevokeInviteCommand,
} from "./members.command.ts";
import { PlansCommandError, runPlansImport, runPlansTemplate } from "./plans.command.ts";
import { runSummaryCommand } from "./summary.command.ts";
import { formatInvitationError } from "./texts.ts";
import { runTickCommand, TickCommandError } from "./tick.command.ts";

const USAGE = `usage: npm run cli -- <command>
  migrate                                   bring the database schema up to date
  apply <file>                              validate and apply a cluster configuration file
  invite <cluster> --role chair|deputy|secretary|leader [--board <code>] [--hours N] [--bot-username <name>]
                                            create a one-time invitation and print its deep link
  tick [--at <ISO-8601 time>]               run every scheduled action due at that time
  summary <cluster> [<period>|<year>] [--out <dir>]
                                            print the ranked summary (a year: the year's ranking), write the chart,
                                            spreadsheet and report document
  plans import <cluster> <file.xlsx|file.csv>
                                            import annual plans per board and indicator (all or nothing)
  plans template <cluster> <year> --out <file.xlsx>
                                            write the plan sheet to fill in (with the plans already stored)
  members <cluster> [--all]                 list the members (with --all: ended memberships and the chair terms)
  invitations <cluster>                     list the open invitations: id, role, board, expiry
  revoke <cluster> <telegram id> [--role <role>] [--board <code>]
                                            end a membership (or one role of it); prints what changed
  revoke-invite <cluster> <invitation id>   cancel an unused invitation
  backup <file>                             a consistent copy of the SQLite database, safe while the bot runs`;

class UsageError extends Error {}

const print = (line: string) => process.stdout.write(`${line}\n`);

/** BOT_TOKEN is only needed by commands that talk to Telegram; a placeholder keeps the others offline. */
const OFFLINE_TOKEN = "0:offline-command-sends-nothing-to-telegram";

function appFor(config: Config, token = OFFLINE_TOKEN) {
  return createApp({
    databaseUrl: config.database.url,
    botToken: token,
    apiRoot: config.telegramApiRoot,
    clock: systemClock,
    logger: silentLogger(),
  });
}

async function cmdMigrate(config: Config) {
  const res = await migrate(config.database.url);
  print(
    res.applied.length === 0
      ? `database (${res.provider}) is up to date: ${res.total} migration(s)`
      : `applied ${res.applied.length} migration(s) on ${res.provider}: ${res.applied.join(", ")}`,
  );
}

async function cmdApply(config: Config, args: string[]) {
  const file = args[0];
  if (!file || args.length > 1) throw new UsageError("apply takes exactly one file");
  const cluster = await loadClusterConfigFile(file);
  await migrate(config.database.url);
  const app = appFor(config);
  try {
    const out = await app.services.config.apply(cluster);
    if (out.changes.length === 0) print(`${cluster.cluster.code}: no change`);
    else for (const c of out.changes) print(`${cluster.cluster.code}: ${c}`);
    for (const w of shortNameWarnings(cluster.boards)) print(`${file}: warning: ${w.path}: ${w.message}`);
  } finally {
    await app.close();
  }
}

async function cmdInvite(config: Config, args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      role: { type: "string" },
      board: { type: "string" },
      hours: { type: "string" },
      "bot-username": { type: "string" },
    },
  });
  const clusterCode = positionals[0];
  if (!clusterCode || positionals.length > 1) throw new UsageError("invite takes one cluster code");
  const role = values.role as Role | undefined;
  if (!role || !ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
  const hours = values.hours === undefined ? undefined : Number(values.hours);
  let botUsername = values["bot-username"];
  if (!botUsername) {
    const me = await new Api(requireBotToken(config), { apiRoot: config.telegramApiRoot }).getMe();
    botUsername = me.username;
  }
  await migrate(config.database.url);
  const app = appFor(config);
  try {
    const res = await app.services.invitations.create({
      clusterCode,
      role,
      boardCode: values.board,
      hours,
      createdByPersonId: null,
      botUsername,
    });
    if (!res.ok) throw new Error(formatInvitationError(res.error));
    const inv = res.value;
    print(
      `one-time invitation: ${inv.role}${inv.board ? ` of ${inv.board.code}` : ""} in ${inv.cluster.code}, expires ${inv.expiresAt.toISOString()}`,
    );
    print(inv.link);
  } finally {
    await app.close();
  }
}

async function cmdTick(config: Config, args: string[]) {
  const { values } = parseArgs({ args, options: { at: { type: "string" } } });
  await migrate(config.database.url);
  const app = appFor(config, requireBotToken(config));
  try {
    await runTickCommand({ at: values.at }, { scheduler: app.scheduler, clock: systemClock, print });
  } finally {
    await app.close();
  }
}

async function cmdSummary(config: Config, args: string[]) {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: "string" } } });
  const [cluster, period] = positionals;
  if (!cluster || positionals.length > 2) throw new UsageError("summary takes a cluster code and an optional period");
  await migrate(config.database.url);
  const app = appFor(config);
  try {
    await runSummaryCommand(
      { cluster, period, out: values.out },
      {
        repos: app.repos,
        summary: app.summary,
        periods: app.services.periods,
        briefing: app.briefing,
        clock: systemClock,
        print,
      },
    );
  } finally {
    await app.close();
  }
}

async function cmdBackup(config: Config, args: string[]) {
  const [file] = args;
  if (!file || args.length > 1) throw new UsageError("backup takes exactly one file name");
  const r = await backupSqlite(config.database.url, file);
  print(
    `backed up ${r.source} to ${r.file}: ${(r.bytes / 1048576).toFixed(1)} MB, ${r.reports} report(s), ` +
      `${r.values} value(s), integrity ok, ${Math.round(r.ms)} ms`,
  );
}

async function cmdPlans(config: Config, args: string[]) {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: "string" } } });
  const [sub, cluster, arg] = positionals;
  if (sub !== "import" && sub !== "template") throw new UsageError('plans takes "import" or "template"');
  if (!cluster || !arg || positionals.length > 3) {
    throw new UsageError(
      sub === "import"
        ? "plans import takes a cluster code and a file"
        : "plans template takes a cluster code and a year",
    );
  }
  if (sub === "template" && !values.out) throw new UsageError("plans template needs --out <file.xlsx>");
  await migrate(config.database.url);
  const app = appFor(config);
  try {
    if (sub === "import") {
      await runPlansImport(
        { cluster, file: arg },
        { repos: app.repos, periods: app.services.periods, clock: systemClock, print },
      );
    } else await runPlansTemplate({ cluster, year: arg, out: values.out! }, { repos: app.repos, print });
  } finally {
    await app.close();
  }
}

async function cmdMembers(config: Config, command: string, args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { all: { type: "boolean" }, role: { type: "string" }, board: { type: "string" } },
  });
  const expected = command === "revoke" || command === "revoke-invite" ? 2 : 1;
  if (positionals.length !== expected) {
    throw new UsageError(
      expected === 2 ? `${command} takes a cluster code and an id` : `${command} takes exactly one cluster code`,
    );
  }
  await migrate(config.database.url);
  // with a token, a removal that leaves a board without a secretary is told to the chair
  const app = appFor(config, command === "revoke" && config.botToken ? config.botToken : OFFLINE_TOKEN);
  const deps = {
    repos: app.repos,
    members: app.services.members,
    print,
    messenger: command === "revoke" && config.botToken ? app.messenger : undefined,
  };
  const [cluster, id] = positionals;
  try {
    if (command === "members") await runMembersCommand({ cluster, all: values.all }, deps);
    else if (command === "invitations") await runInvitationsCommand({ cluster }, deps);
    else if (command === "revoke") {
      await runRevokeCommand({ cluster, telegramId: id, role: values.role, board: values.board }, deps);
    } else await runRevokeInviteCommand({ cluster, invitationId: id }, deps);
  } finally {
    await app.close();
  }
}

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (!command || command === "help" || command === "--help") {
      print(USAGE);
      return command ? 0 : 1;
    }
    const config = loadConfig();
    switch (command) {
      case "migrate":
        await cmdMigrate(config);
        break;
      case "apply":
        await cmdApply(config, args);
        break;
      case "invite":
        await cmdInvite(config, args);
        break;
      case "tick":
        await cmdTick(config, args);
        break;
      case "summary":
        await cmdSummary(config, args);
        break;
      case "plans":
        await cmdPlans(config, args);
        break;
      case "members":
      case "invitations":
      case "revoke":
      case "revoke-invite":
        await cmdMembers(config, command, args);
        break;
      case "backup":
        await cmdBackup(config, args);
        break;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
    return 0;
  } catch (err) {
    if (
      err instanceof ConfigError ||
      err instanceof ClusterConfigError ||
      err instanceof ClusterConfigErrors ||
      err instanceof TickCommandError
    ) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    if (err instanceof PlansCommandError) {
      // every problem of the sheet on its own line
      process.stderr.write(`${command}: ${err.message}\n`);
      return 1;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`${command}: ${err.message}\n${USAGE}\n`);
      return 1;
    }
    process.stderr.write(`${command}: ${String((err as Error)?.message ?? err).split("\n")[0]}\n`);
    return 1;
  }
}

process.exitCode = await runCli(process.argv.slice(2));
