// Every string of the Vietnamese locale, read from its source (string literals and the
// fixed parts of template literals), is in the formal register with no English word.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { registerProblems } from "../helpers/register.ts";

const LOCALE = fileURLToPath(new URL("../../src/bot/locales/vi.ts", import.meta.url));
/** the texts of members, invitations, removal, handover and approval (#12), re-exported by vi.ts */
const MEMBERS_LOCALE = fileURLToPath(new URL("../../src/bot/locales/vi-members.ts", import.meta.url));
/** the texts of summaries, re-exported by vi.ts */
const SUMMARY_LOCALE = fileURLToPath(new URL("../../src/bot/locales/vi-summary.ts", import.meta.url));

/** A literal that is code, not text: a type, an operand of a comparison, a case label. */
function isCode(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isLiteralTypeNode(parent) || ts.isCaseClause(parent)) return true;
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    return (
      op === ts.SyntaxKind.EqualsEqualsEqualsToken ||
      op === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
      op === ts.SyntaxKind.EqualsEqualsToken ||
      op === ts.SyntaxKind.ExclamationEqualsToken
    );
  }
  return false;
}

/** The text pieces of a TypeScript file: string literals and template parts, module paths and code left out. */
function textPieces(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && isCode(node)) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) out.push(node.text);
    else if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) out.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe("the register of the chat", () => {
  it("finds the words it must find", () => {
    expect(registerProblems("Cảm ơn bạn! Mình chưa hiểu.")).toEqual(["bạn", "Mình"]);
    expect(registerProblems("/lich Q3 deadline 07/10/2026 17:00")).toEqual(["deadline"]);
    expect(registerProblems("chưa bấm Start")).toEqual(["Start"]);
    expect(registerProblems("Gõ /start hoặc /help, https://t.me/bot?start=abc")).toEqual([]);
    expect(registerProblems("Kính chào đồng chí; bạn bè")).toEqual(["bạn"]);
  });

  it("every locale string says đồng chí, never bạn or mình, and no English word", () => {
    const pieces = [...textPieces(LOCALE), ...textPieces(MEMBERS_LOCALE), ...textPieces(SUMMARY_LOCALE)];
    expect(pieces.length).toBeGreaterThan(300);
    const found = pieces.flatMap((p) => registerProblems(p).map((w) => `${w} ← ${p}`));
    expect(found).toEqual([]);
    expect(pieces.some((p) => p.includes("đồng chí") || p.includes("Đồng chí"))).toBe(true);
  });
});
