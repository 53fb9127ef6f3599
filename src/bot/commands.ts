// The command menus shown on phones (setMyCommands), by role where Telegram's scopes
// allow: everyone's private chats get the secretary menu, a chair's or deputy's own
// private chat gets theirs, group chats get the summary commands.
import type { Api } from "grammy";
import type { BotCommand } from "grammy/types";
import type { Logger } from "pino";
import type { Actor } from "../services/access.service.ts";
import * as vi from "./locales/vi.ts";

type Name = keyof typeof vi.commands;
const menu = (...names: Name[]): BotCommand[] =>
  names.map((command) => ({ command, description: vi.commands[command] }));

export const MENUS = {
  private: menu("start", "baocao", "trangthai", "huy", "trogiup", "help"),
  leader: menu("start", "trangthai", "tongket", "nhacnho", "moi", "lich", "huy", "trogiup", "help"),
  leaderAndSecretary: menu(
    "start",
    "baocao",
    "trangthai",
    "tongket",
    "nhacnho",
    "moi",
    "lich",
    "huy",
    "trogiup",
    "help",
  ),
  group: menu("tongket", "trangthai", "trogiup", "help"),
};

export interface CommandMenus {
  /** Registers the default menus (at start-up). */
  install(api: Api): Promise<void>;
  /** Gives a person the menu of their roles in their active cluster. */
  forPerson(api: Api, actor: Actor): Promise<void>;
}

export function createCommandMenus(logger: Logger): CommandMenus {
  return {
    async install(api) {
      await api.setMyCommands(MENUS.private, { scope: { type: "all_private_chats" } });
      await api.setMyCommands(MENUS.group, { scope: { type: "all_group_chats" } });
    },
    async forPerson(api, actor) {
      const roles = actor.active?.roles ?? [];
      const leader = roles.includes("chair") || roles.includes("deputy");
      if (!leader) return;
      const commands = roles.includes("secretary") ? MENUS.leaderAndSecretary : MENUS.leader;
      try {
        await api.setMyCommands(commands, { scope: { type: "chat", chat_id: Number(actor.person.telegramId) } });
      } catch (err) {
        // a menu is a convenience: never fail the join over it
        logger.warn({ err }, "could not set the per-person command menu");
      }
    },
  };
}
