// Menus and /trogiup come from one table: what a role is shown in its menu is what its
// help explains, per chat kind.
import { describe, expect, it } from "vitest";
import { COMMAND_TABLE, commandsFor, helpLinesFor, menuFor } from "../../src/bot/commands.ts";
import * as vi from "../../src/bot/locales/vi.ts";
import type { Role } from "../../src/domain/types.ts";

const ROLE_SETS: Role[][] = [
  ["secretary"],
  ["deputy"],
  ["chair"],
  ["chair", "secretary"],
  ["deputy", "secretary"],
  ["leader"],
  ["leader", "secretary"],
];

describe("the command table", () => {
  it("a secretary sees /lichsu and /tongket; a deputy is not shown /moi or /lich", () => {
    expect(commandsFor(["secretary"], "private")).toEqual([
      "start",
      "baocao",
      "lichsu",
      "trangthai",
      "tongket",
      "chon",
      "huy",
      "trogiup",
      "help",
    ]);
    const help = helpLinesFor(["secretary"], "private").join("\n");
    expect(help).toContain("/lichsu");
    expect(help).toContain("/tongket");
    expect(help).not.toContain("/moi");
    expect(commandsFor(["deputy"], "private")).toEqual(
      expect.arrayContaining(["nhacnho", "mokhoa", "tongket", "trangthai"]),
    );
    expect(commandsFor(["deputy"], "private")).not.toContain("moi");
    expect(commandsFor(["deputy"], "private")).not.toContain("lich");
    expect(commandsFor(["chair"], "private")).toEqual(expect.arrayContaining(["moi", "lich", "mokhoa"]));
    expect(commandsFor(["chair"], "group")).toEqual(["trangthai", "tongket", "ketnoi", "trogiup", "help"]);
    expect(commandsFor(["secretary"], "group")).not.toContain("ketnoi");
  });

  it("a board leader is shown /duyet (and only a leader)", () => {
    expect(commandsFor(["leader"], "private")).toContain("duyet");
    expect(helpLinesFor(["leader"], "private").join("\n")).toContain("/duyet");
    for (const roles of [["secretary"], ["deputy"], ["chair"]] as Role[][])
      expect(commandsFor(roles, "private")).not.toContain("duyet");
  });

  it.each(
    ROLE_SETS.flatMap((roles) => (["private", "group"] as const).map((where) => [roles, where] as const)),
  )("%j in %s: every menu command but start/trogiup/help has its help line, and nothing else", (roles, where) => {
    const menu = commandsFor(roles, where);
    const help = helpLinesFor(roles, where);
    const explained = menu.filter((c) => !["start", "trogiup", "help"].includes(c));
    expect(help).toEqual(explained.map((c) => vi.help.line[c]));
    for (const c of menuFor(roles, where)) {
      expect(c.command).toMatch(/^[a-z]{1,32}$/);
      expect(c.description.length).toBeLessThanOrEqual(256);
    }
  });

  it("every command has a menu line and a help line starting with its name", () => {
    for (const e of COMMAND_TABLE) {
      expect(vi.commands[e.command]).toBeTruthy();
      expect(vi.help.line[e.command].startsWith(`/${e.command}`)).toBe(true);
    }
  });
});
