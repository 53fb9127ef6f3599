// The layering, checked from the imports in the source (read with TypeScript's parser,
// so a comment or a string that looks like an import does not count, and a dynamic
// import() or an `export … from` does).
//
// The rules, and why they are strict (type-only imports included):
// 1. src/bot/** and scenes/** do not import src/db/**, the generated Prisma clients or a
//    database driver. Handlers and scene steps call services; the types they need (an
//    outcome, a DTO, a port such as ConversationStore or UpdateLog) come from
//    src/services, which re-exports a persistence type where one is the contract. A
//    type-only import of a repository would let a handler be given the repository next.
// 2. src/services/** and src/domain/** do not import src/bot/**, scenes/** or grammY:
//    a use case returns an outcome and the bot renders it (no locale, no keyboards).
// 3. src/domain/** imports nothing of ours outside src/domain (pure: no services, no
//    database, no renderers).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

interface Import {
  /** the importing file, relative to the repository root */
  from: string;
  /** a repository-relative path for our modules, the package name otherwise */
  target: string;
  typeOnly: boolean;
  line: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|mts)$/.test(e.name) && !e.name.endsWith(".d.ts"))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** Every module a file names: import and export declarations, import() and require(). */
function importsOf(file: string, text = readFileSync(join(ROOT, file), "utf8")): Import[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: Import[] = [];
  const add = (spec: ts.Expression | undefined, typeOnly: boolean, node: ts.Node) => {
    if (!spec || !ts.isStringLiteralLike(spec)) return;
    const name = spec.text;
    const target = name.startsWith(".") ? relative(ROOT, resolve(ROOT, dirname(file), name)) : name;
    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    out.push({ from: file, target, typeOnly, line });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      // `import type {…}`, or `import { type A, type B }` with every name a type
      const allTypes =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier, allTypes, node);
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly, node);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly, node);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === "require";
      if (isDynamicImport || isRequire) add(node.arguments[0], false, node);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      // import("../db/x.ts").Repositories in a type position
      add(node.argument.literal as ts.Expression, true, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

const under = (path: string, ...dirs: string[]) => dirs.some((d) => path === d || path.startsWith(`${d}/`));
const isPackage = (target: string, ...names: string[]) =>
  names.some((n) => target === n || target.startsWith(`${n}/`) || (n.endsWith("/") && target.startsWith(n)));
const show = (i: Import) => `${i.from}:${i.line} imports ${i.target}${i.typeOnly ? " (type only)" : ""}`;

const DATABASE_PACKAGES = ["@prisma/", "prisma", "better-sqlite3", "pg"];

function violations(files: string[], forbidden: (i: Import) => boolean): string[] {
  return files.flatMap((f) => importsOf(f).filter(forbidden).map(show));
}

describe("layers", () => {
  const botAndScenes = [...sourceFiles("src/bot"), ...sourceFiles("scenes")];
  const servicesAndDomain = [...sourceFiles("src/services"), ...sourceFiles("src/domain")];

  it("finds the files and their imports (the scan itself works)", () => {
    expect(botAndScenes).toContain("src/bot/create-bot.ts");
    expect(botAndScenes).toContain("scenes/report.scene.ts");
    expect(servicesAndDomain).toContain("src/services/report.service.ts");
    const probe = importsOf(
      "src/bot/probe.ts",
      [
        'import type { A } from "../db/a.ts";',
        'import { type B, type C } from "../db/b.ts";',
        'import { D, type E } from "../db/c.ts";',
        'export { F } from "../db/d.ts";',
        'const g = await import("../db/e.ts");',
        'type H = import("../db/f.ts").H;',
        "// import { X } from '../db/comment.ts'",
        'const s = "import { Y } from \\"../db/string.ts\\"";',
      ].join("\n"),
    );
    expect(probe.map((i) => [i.target, i.typeOnly])).toEqual([
      ["src/db/a.ts", true],
      ["src/db/b.ts", true],
      ["src/db/c.ts", false],
      ["src/db/d.ts", false],
      ["src/db/e.ts", false],
      ["src/db/f.ts", true],
    ]);
  });

  it("src/bot and scenes reach the database only through services (no src/db, generated client or driver)", () => {
    const bad = violations(
      botAndScenes,
      (i) => under(i.target, "src/db", "src/generated") || isPackage(i.target, ...DATABASE_PACKAGES),
    );
    expect(bad).toEqual([]);
  });

  it("src/services and src/domain know nothing of the bot (no src/bot, scenes or grammY)", () => {
    const bad = violations(
      servicesAndDomain,
      (i) => under(i.target, "src/bot", "scenes") || isPackage(i.target, "grammy", "@grammyjs/"),
    );
    expect(bad).toEqual([]);
  });

  it("src/domain imports nothing of ours outside src/domain", () => {
    const bad = violations(
      sourceFiles("src/domain"),
      (i) =>
        !i.target.startsWith("node:") && (under(i.target, "src", "scenes") ? !under(i.target, "src/domain") : false),
    );
    expect(bad).toEqual([]);
  });
});
