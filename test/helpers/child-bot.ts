// The production entry (src/main.ts) as a child process, for tests that kill it. Every
// child started here is killed in stopAllChildren() (call it in afterEach), and on exit
// of the test process as a last resort.
import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";

export interface ChildBot {
  proc: ChildProcess;
  /** stdout and stderr so far (for failure messages) */
  output(): string;
  /** resolves with the exit code (or the signal's name) */
  exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): Promise<number | string>;
}

const children = new Set<ChildProcess>();
process.once("exit", () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

/**
 * Starts `node --import tsx src/main.ts` with exactly these variables (plus PATH and HOME,
 * and PORT=0 unless given: the health server takes any free port, so bots run side by side).
 */
export function startChildBot(env: Record<string, string>): ChildBot {
  return startChild(["src/main.ts"], { PORT: "0", ...env });
}

/** `node --import tsx src/cli/main.ts <args>` (e.g. `tick --at …`) with exactly these variables (plus PATH and HOME). */
export function startChildCli(args: string[], env: Record<string, string>): ChildBot {
  return startChild(["src/cli/main.ts", ...args], env);
}

function startChild(args: string[], env: Record<string, string>): ChildBot {
  const root = resolve(import.meta.dirname, "../..");
  const proc = spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(proc);
  proc.once("exit", () => children.delete(proc));
  const { output, exited } = watchOutput(proc);
  return {
    proc,
    output,
    exited,
    async kill(signal) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/**
 * Keeps a spawned child's stdout and stderr (spawned with both piped) and resolves `exited`
 * with its exit code, or the signal's name, or `fallback` when it has neither.
 */
export function watchOutput(
  proc: ChildProcess,
  fallback = "unknown",
): { output(): string; exited: Promise<number | string> } {
  let out = "";
  proc.stdout!.on("data", (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr!.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | string>((res) =>
    proc.once("exit", (code, signal) => res(code ?? signal ?? fallback)),
  );
  return { output: () => out, exited };
}

/** Kills every child still running (SIGKILL) and waits for them. */
export async function stopAllChildren(): Promise<void> {
  const running = [...children];
  await Promise.all(
    running.map(
      (c) =>
        new Promise<void>((res) => {
          if (c.exitCode !== null || c.signalCode !== null) return res();
          c.once("exit", () => res());
          c.kill("SIGKILL");
        }),
    ),
  );
}
