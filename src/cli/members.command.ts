// The operator's member commands: `members <cluster> [--all]`, `invitations <cluster>`,
// `revoke <cluster> <telegram id> [--role <role>] [--board <code>]` and
// `revoke-invite <cluster> <invitation id>`. Output is for the operator (English, one
// line per member or change); what the chair is told goes through the bot's texts.
import * as vi from "../bot/locales/vi.ts";
import type { Repositories } from "../db/index.ts";
import type { Cluster } from "../domain/entities.ts";
import { ROLES, type Role } from "../domain/types.ts";
import type { MembershipService, MemberView } from "../services/membership.service.ts";
import type { Messenger } from "../services/messenger.ts";

export class MembersCommandError extends Error {}

export interface MembersCommandDeps {
  repos: Repositories;
  members: MembershipService;
  print: (line: string) => void;
  /** set when BOT_TOKEN is: the chair and deputy are told when a board is left without a secretary */
  messenger?: Messenger | undefined;
}

async function clusterOf(repos: Repositories, code: string | undefined): Promise<Cluster> {
  if (!code) throw new MembersCommandError("a cluster code is required");
  const cluster = await repos.clusters.findByCode(code);
  if (!cluster) throw new MembersCommandError(`unknown cluster "${code}"`);
  return cluster;
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
const nameOf = (m: MemberView) => [m.person.firstName, m.person.lastName].filter(Boolean).join(" ");

/** "secretary  HN   Nguyễn Lan  id 101  since 2026-09-25T03:00:00Z" */
export function memberLine(m: MemberView): string {
  return [
    m.role.padEnd(9),
    (m.board?.code ?? "-").padEnd(6),
    nameOf(m),
    `id ${m.person.telegramId}`,
    `since ${iso(m.since)}`,
    ...(m.until ? [`until ${iso(m.until)}`] : []),
  ].join("  ");
}

export async function runMembersCommand(args: { cluster?: string; all?: boolean }, deps: MembersCommandDeps) {
  const cluster = await clusterOf(deps.repos, args.cluster);
  const list = await deps.members.members(cluster, { all: args.all });
  if (list.length === 0) deps.print(`${cluster.code}: no members`);
  for (const m of list) deps.print(memberLine(m));
  if (args.all) {
    for (const t of await deps.members.chairHistory(cluster)) {
      const who = [t.person.firstName, t.person.lastName].filter(Boolean).join(" ");
      deps.print(
        `term  ${t.role.padEnd(6)}  ${(t.board?.code ?? "-").padEnd(6)}  ${who}  id ${t.person.telegramId}  from ${iso(t.startedAt)}${t.endedAt ? `  until ${iso(t.endedAt)}` : ""}`,
      );
    }
  }
}

export async function runInvitationsCommand(args: { cluster?: string }, deps: MembersCommandDeps) {
  const cluster = await clusterOf(deps.repos, args.cluster);
  const list = await deps.members.openInvitations(cluster);
  if (list.length === 0) deps.print(`${cluster.code}: no open invitations`);
  for (const inv of list) {
    deps.print(
      `${inv.id}  ${inv.role.padEnd(9)}  ${(inv.board?.code ?? "-").padEnd(6)}  expires ${iso(inv.expiresAt)}`,
    );
  }
}

export async function runRevokeCommand(
  args: { cluster?: string; telegramId?: string; role?: string; board?: string },
  deps: MembersCommandDeps,
) {
  const cluster = await clusterOf(deps.repos, args.cluster);
  if (!args.telegramId || !/^-?\d{1,20}$/.test(args.telegramId)) {
    throw new MembersCommandError("a numeric Telegram id is required");
  }
  if (args.role !== undefined && !ROLES.includes(args.role as Role)) {
    throw new MembersCommandError(`--role must be one of ${ROLES.join(", ")}`);
  }
  const res = await deps.members.revoke({
    cluster,
    telegramId: BigInt(args.telegramId),
    role: args.role as Role | undefined,
    boardCode: args.board,
    actorPersonId: null,
  });
  if (!res.ok) {
    const e = res.error;
    throw new MembersCommandError(
      e.code === "unknown_board"
        ? `unknown board "${e.board}"`
        : `${args.telegramId} holds no such active membership in ${cluster.code}`,
    );
  }
  for (const m of res.value.ended) deps.print(`ended: ${memberLine(m)}`);
  for (const board of res.value.boardsWithoutSecretary) {
    deps.print(`warning: board ${board.code} has no secretary now`);
    if (!deps.messenger) {
      deps.print("  (BOT_TOKEN is not set: tell the chair yourself)");
      continue;
    }
    const leaders = await deps.repos.people.members(cluster.id, ["chair", "deputy"]);
    const at = vi.dateTime(res.value.ended[0]!.until!, cluster.timezone);
    for (const { person } of leaders) {
      const outcome = await deps.messenger.send(person.telegramId, {
        html: vi.members.noSecretaryNotice(board.name, board.code, at),
      });
      deps.print(`  told ${person.telegramId}: ${outcome}`);
    }
  }
}

export async function runRevokeInviteCommand(
  args: { cluster?: string; invitationId?: string },
  deps: MembersCommandDeps,
) {
  const cluster = await clusterOf(deps.repos, args.cluster);
  if (!args.invitationId || !/^\d{1,12}$/.test(args.invitationId)) {
    throw new MembersCommandError("an invitation id (see `invitations`) is required");
  }
  const res = await deps.members.cancelInvitation({
    cluster,
    invitationId: Number(args.invitationId),
    actorPersonId: null,
  });
  if (!res.ok) throw new MembersCommandError(`invitation ${args.invitationId}: ${res.reason}`);
  const inv = res.invitation;
  deps.print(
    `cancelled invitation ${inv.id}: ${inv.role}${inv.board ? ` of ${inv.board.code}` : ""} in ${cluster.code}`,
  );
}
