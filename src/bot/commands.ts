// One table of the chat commands: who sees each one, where (private chat, group), its
// menu line and its /trogiup line. The phone menus (setMyCommands) and /trogiup are both
// generated from it, so they cannot drift apart. Telegram's scopes allow one menu for
// every private chat (the secretary's), one per chat (a leader's own chat gets theirs)
// and one for every group.
import type { Api } from "grammy";
import type { BotCommand } from "grammy/types";
import type { Logger } from "pino";
import type { Role } from "../domain/types.ts";
import type { Actor } from "../services/access.service.ts";
import * as vi from "./locales/vi.ts";

export type CommandName = keyof typeof vi.commands;
export type ChatScope = "private" | "group";
/** "anyone" includes a person who is in no cluster yet. */
type Audience = Role | "anyone";

interface CommandEntry {
  command: CommandName;
  who: readonly Audience[];
  where: readonly ChatScope[];
  /** shown in /trogiup (the menu line is vi.commands[command]) */
  help: boolean;
}

const MEMBERS: readonly Role[] = ["chair", "deputy", "secretary"];
const LEADERS: readonly Role[] = ["chair", "deputy"];

/** In menu and help order. */
export const COMMAND_TABLE: readonly CommandEntry[] = [
  { command: "start", who: ["anyone"], where: ["private"], help: false },
  { command: "baocao", who: ["secretary"], where: ["private"], help: true },
  { command: "lichsu", who: ["secretary"], where: ["private"], help: true },
  { command: "trangthai", who: MEMBERS, where: ["private", "group"], help: true },
  { command: "tongket", who: MEMBERS, where: ["private", "group"], help: true },
  { command: "nhacnho", who: LEADERS, where: ["private"], help: true },
  { command: "mokhoa", who: LEADERS, where: ["private"], help: true },
  { command: "moi", who: ["chair"], where: ["private"], help: true },
  { command: "thanhvien", who: LEADERS, where: ["private"], help: true },
  { command: "duyet", who: ["leader"], where: ["private"], help: true },
  { command: "lich", who: ["chair"], where: ["private"], help: true },
  { command: "ketnoi", who: ["chair"], where: ["group"], help: true },
  { command: "chon", who: MEMBERS, where: ["private"], help: true },
  { command: "huy", who: ["anyone"], where: ["private"], help: true },
  { command: "trogiup", who: ["anyone"], where: ["private", "group"], help: false },
  { command: "help", who: ["anyone"], where: ["private", "group"], help: false },
];

function visible(entry: CommandEntry, roles: readonly Role[], where: ChatScope): boolean {
  return entry.where.includes(where) && entry.who.some((w) => w === "anyone" || roles.includes(w));
}

/** The commands a person with `roles` sees in a chat of kind `where`, in table order. */
export function commandsFor(roles: readonly Role[], where: ChatScope): CommandName[] {
  return COMMAND_TABLE.filter((e) => visible(e, roles, where)).map((e) => e.command);
}

/** The phone menu of `roles` in `where`. */
export function menuFor(roles: readonly Role[], where: ChatScope): BotCommand[] {
  return commandsFor(roles, where).map((command) => ({ command, description: vi.commands[command] }));
}

/** The /trogiup lines of `roles` in `where` (HTML), from the same table. */
export function helpLinesFor(roles: readonly Role[], where: ChatScope): string[] {
  return COMMAND_TABLE.filter((e) => e.help && visible(e, roles, where)).map((e) => vi.help.line[e.command]);
}

/** The menus registered at start-up for whole scopes. */
export const MENUS = {
  /** every private chat: a secretary's menu (a stranger sees it too; /start explains) */
  private: menuFor(["secretary"], "private"),
  /** every group: what members may ask there (the chair links the group with /ketnoi) */
  group: menuFor(MEMBERS, "group"),
};

export interface CommandMenus {
  /** Registers the default menus (at start-up). */
  install(api: Api): Promise<void>;
  /** Gives a person the menu of their roles in their active cluster (a secretary keeps the default). */
  forPerson(api: Api, actor: Actor): Promise<void>;
  /**
   * Brings a person's own menu in line with their roles now: their leader menu, or back to
   * the default one when they lead nothing any more (a chair whose role was handed over).
   */
  refresh(api: Api, actor: Actor): Promise<void>;
}

const LEADER_ROLES: readonly Role[] = ["chair", "deputy", "leader"];

export function createCommandMenus(logger: Logger): CommandMenus {
  async function apply(api: Api, actor: Actor, resetOthers: boolean): Promise<void> {
    const roles = actor.active?.roles ?? [];
    const scope = { type: "chat", chat_id: Number(actor.person.telegramId) } as const;
    // a secretary has the default private menu; chairs, deputies and board leaders get their own
    const leads = roles.some((r) => LEADER_ROLES.includes(r));
    if (!leads && !resetOthers) return;
    try {
      if (leads) await api.setMyCommands(menuFor(roles, "private"), { scope });
      else await api.deleteMyCommands({ scope });
    } catch (err) {
      // a menu is a convenience: never fail the join over it
      logger.warn({ err }, "could not set the per-person command menu");
    }
  }
  return {
    async install(api) {
      await api.setMyCommands(MENUS.private, { scope: { type: "all_private_chats" } });
      await api.setMyCommands(MENUS.group, { scope: { type: "all_group_chats" } });
    },
    forPerson: (api, actor) => apply(api, actor, false),
    refresh: (api, actor) => apply(api, actor, true),
  };
}
