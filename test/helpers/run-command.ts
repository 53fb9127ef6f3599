// Runs a command to its end and collects what it printed, without blocking this process
// (which may be serving the Bot API stand-in the command talks to).
import { spawn } from "node:child_process";

export interface CommandResult {
  code: number;
  /** stdout then stderr as they arrived */
  output: string;
}

export function runCommand(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const proc = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const collect = (d: Buffer) => {
      output += d.toString();
    };
    proc.stdout.on("data", collect);
    proc.stderr.on("data", collect);
    proc.once("exit", (code) => resolve({ code: code ?? 1, output }));
  });
}
