// Reads a cluster configuration file (YAML or JSON by extension) and validates it (schema.ts).

import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { type ClusterConfig, ClusterConfigError, type Locator, parseClusterConfig } from "./schema.ts";

export type ClusterConfigFormat = "yaml" | "json";

/** The format implied by a file name, or undefined for an unsupported extension. */
export function formatOf(path: string): ClusterConfigFormat | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === ".yaml" || ext === ".yml") return "yaml";
  if (ext === ".json") return "json";
  return undefined;
}

/**
 * Parses and validates the text of a configuration file. `source` names the file in errors.
 * YAML is read with the YAML 1.2 core schema, so unquoted `2027-01-05T17:00` and `08:00` stay
 * strings (no timestamp or sexagesimal surprises) and duplicate keys are errors.
 */
export function parseClusterConfigText(text: string, source: string, format: ClusterConfigFormat): ClusterConfig {
  const body = text.replace(/^\uFEFF/, "");
  if (body.trim() === "") {
    throw new ClusterConfigError(source, [
      {
        path: "(top level)",
        message: "the file is empty; expected a mapping with the keys cluster, boards, indicators",
      },
    ]);
  }
  if (format === "json") {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch (err) {
      throw new ClusterConfigError(source, [jsonSyntaxIssue(body, err)]);
    }
    // Positions for error lines: JSON is YAML, so the YAML parser can locate fields (best effort).
    return parseClusterConfig(data, source, safeLocator(body));
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(body, {
    version: "1.2",
    schema: "core",
    merge: true, // `<<: *shared` to reuse common indicator fields
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
  });
  if (doc.errors.length > 0) {
    throw new ClusterConfigError(
      source,
      doc.errors.map((e) => ({
        path: "(syntax)",
        message: `YAML syntax error: ${firstLine(e.message)}`,
        line: e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line,
      })),
    );
  }
  const data: unknown = doc.toJS({ maxAliasCount: 1000 });
  return parseClusterConfig(data, source, yamlLocator(doc.contents, lineCounter));
}

/** Reads, parses and validates one file. Every failure is a ClusterConfigError naming the file. */
export async function loadClusterConfigFile(path: string): Promise<ClusterConfig> {
  const format = formatOf(path);
  if (format === undefined) {
    throw new ClusterConfigError(path, [
      {
        path: "(file)",
        message: `expected a .yaml, .yml or .json file, got ${JSON.stringify(extname(path) || "no extension")}`,
      },
    ]);
  }
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "file not found"
        : code === "EACCES"
          ? "permission denied"
          : code === "EISDIR"
            ? "is a directory, expected a file"
            : `cannot read the file (${code ?? (err as Error).message})`;
    throw new ClusterConfigError(path, [{ path: "(file)", message: reason }]);
  }
  return parseClusterConfigText(text, path, format);
}

/**
 * Loads several files (CLUSTER_CONFIG is a comma-separated list). Collects the errors of all
 * files into one ClusterConfigError-per-file list, and rejects two files with the same cluster code.
 */
export async function loadClusterConfigFiles(paths: readonly string[]): Promise<ClusterConfig[]> {
  const results = await Promise.allSettled(paths.map((p) => loadClusterConfigFile(p)));
  const errors: ClusterConfigError[] = [];
  const configs: ClusterConfig[] = [];
  const codeFrom = new Map<string, string>();
  results.forEach((r, i) => {
    const path = paths[i]!;
    if (r.status === "rejected") {
      errors.push(
        r.reason instanceof ClusterConfigError
          ? r.reason
          : new ClusterConfigError(path, [{ path: "(file)", message: String(r.reason) }]),
      );
      return;
    }
    const other = codeFrom.get(r.value.cluster.code);
    if (other !== undefined) {
      errors.push(
        new ClusterConfigError(path, [
          {
            path: "cluster.code",
            message: `duplicate cluster code ${JSON.stringify(r.value.cluster.code)}: already defined in ${other}`,
          },
        ]),
      );
      return;
    }
    codeFrom.set(r.value.cluster.code, path);
    configs.push(r.value);
  });
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ClusterConfigErrors(errors);
  return configs;
}

/** Errors of several files at once; the message lists every issue of every file, one per line. */
export class ClusterConfigErrors extends Error {
  override readonly name = "ClusterConfigErrors";
  readonly errors: ClusterConfigError[];
  constructor(errors: ClusterConfigError[]) {
    super(errors.map((e) => e.message).join("\n"));
    this.errors = errors;
  }
}

// ---------------------------------------------------------------------------------------------

function firstLine(s: string): string {
  return s.split("\n")[0]?.trim() ?? s;
}

function jsonSyntaxIssue(text: string, err: unknown) {
  const message = err instanceof Error ? err.message : String(err);
  let line: number | undefined;
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  const position = /position (\d+)/.exec(message);
  if (lineCol) line = Number(lineCol[1]);
  else if (position) line = text.slice(0, Number(position[1])).split("\n").length;
  const reason = message.replace(/\s*\(line \d+ column \d+\)/, "").replace(/ in JSON at position \d+/, "");
  return { path: "(syntax)", message: `JSON syntax error: ${firstLine(reason)}`, line };
}

function safeLocator(text: string): Locator | undefined {
  try {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { version: "1.2", schema: "core", lineCounter, uniqueKeys: false });
    if (doc.errors.length > 0) return undefined;
    return yamlLocator(doc.contents, lineCounter);
  } catch {
    return undefined;
  }
}

/** Line of the deepest node along `path` (the key's line for a mapping entry). */
function yamlLocator(root: Node | null, lineCounter: LineCounter): Locator {
  const lineAt = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  return (path) => {
    let node: unknown = root;
    let line = lineAt((root as Node | null)?.range?.[0]);
    for (const part of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(part));
        if (!pair) break;
        line = lineAt((pair.key as Node | null)?.range?.[0]) ?? line;
        node = pair.value;
      } else if (isSeq(node) && typeof part === "number") {
        const item = node.items[part];
        if (item === undefined) break;
        line = lineAt((item as Node | null)?.range?.[0]) ?? line;
        node = item;
      } else break;
    }
    return line;
  };
}
