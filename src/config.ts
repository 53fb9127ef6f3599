// Process configuration from environment variables (see docs: interface.md, "Environment").
// This is the only module that reads `process.env`; everything else receives a `Config`.

import { z } from "zod";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type DatabaseConfig =
  | { kind: "sqlite"; url: string /** file path after `file:` */; path: string }
  | { kind: "postgres"; url: string };

/** How updates arrive: long polling (default) or a webhook when WEBHOOK_URL is set. */
export type TransportConfig =
  | { mode: "polling" /** PORT serves /healthz and /readyz (0 picks a free port, for tests) */; port: number }
  | { mode: "webhook"; url: string; secret: string; port: number };

export interface Config {
  /** BOT_TOKEN; absent is allowed so that offline CLI commands run without it (see requireBotToken). */
  botToken: string | undefined;
  database: DatabaseConfig;
  /** TELEGRAM_API_ROOT without a trailing slash */
  telegramApiRoot: string;
  /** CLUSTER_CONFIG split on commas; empty when unset */
  clusterConfigPaths: string[];
  transport: TransportConfig;
  logLevel: LogLevel;
  /** INSTANCE_ID; when absent the caller computes one (e.g. hostname-pid) */
  instanceId: string | undefined;
  /** SCHEDULER=on|off: whether this process runs scheduled actions */
  scheduler: boolean;
}

export const DEFAULTS = {
  DATABASE_URL: "file:./data/bot.db",
  TELEGRAM_API_ROOT: "https://api.telegram.org",
  PORT: 8080,
  LOG_LEVEL: "info" as LogLevel,
  SCHEDULER: "on" as "on" | "off",
};

/** Bad configuration. The message is one line and names the variable; it never contains a secret. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  /** the environment variables at fault */
  readonly variables: string[];
  constructor(message: string, variables: string[] = []) {
    super(message);
    this.variables = variables;
  }
}

// ---------------------------------------------------------------------------------------------
// Schema. Each variable's messages are written so that secret values are never echoed.

const BOT_TOKEN_RE = /^\d+:[A-Za-z0-9_-]{35,}$/;
const WEBHOOK_SECRET_RE = /^[A-Za-z0-9_-]{1,256}$/;

/** Describes a secret-ish value without showing it. */
function hidden(input: unknown): string {
  return typeof input === "string" ? `a value of ${input.length} characters (not shown)` : "a non-text value";
}

/** Shows a harmless value, shortened. */
function shown(input: unknown): string {
  if (typeof input !== "string") return String(input);
  return JSON.stringify(input.length > 60 ? `${input.slice(0, 57)}...` : input);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** Scheme of a URL-like value, so a bad DATABASE_URL can be described without leaking a password. */
function schemeOf(value: string): string {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(value);
  return m ? `a value starting with "${m[1]}:"` : "a value without a scheme";
}

const botTokenSchema = z
  .string()
  .regex(BOT_TOKEN_RE, {
    error: (iss) =>
      `expected <digits>:<35 or more characters of A-Z a-z 0-9 _ -> from @BotFather, got ${hidden(iss.input)}`,
  })
  .optional();

const databaseSchema = z.string().transform((url, ctx): DatabaseConfig => {
  if (url.startsWith("file:")) {
    const path = url.slice("file:".length).replace(/^\/\/(?=\/)/, "");
    if (path === "") {
      ctx.addIssue({ code: "custom", message: 'expected a file path after "file:", e.g. file:./data/bot.db' });
      return z.NEVER;
    }
    return { kind: "sqlite", url, path };
  }
  if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
    try {
      new URL(url);
    } catch {
      ctx.addIssue({ code: "custom", message: "expected a valid postgresql:// URL (value not shown)" });
      return z.NEVER;
    }
    return { kind: "postgres", url };
  }
  ctx.addIssue({
    code: "custom",
    message: `expected file:<path> (SQLite) or postgresql://… (PostgreSQL), got ${schemeOf(url)}`,
  });
  return z.NEVER;
});

const apiRootSchema = z
  .string()
  .refine(isHttpUrl, { error: (iss) => `expected an http:// or https:// URL, got ${shown(iss.input)}` })
  .transform((s) => s.replace(/\/+$/, ""));

const portSchema = z
  .string()
  .refine((s) => /^\d+$/.test(s) && Number(s) <= 65535, {
    error: (iss) => `expected a whole number from 0 to 65535 (0 picks a free port), got ${shown(iss.input)}`,
  })
  .transform(Number);

const webhookUrlSchema = z.string().refine(isHttpUrl, {
  error: (iss) => `expected an https:// URL (http:// for a local Bot API server), got ${shown(iss.input)}`,
});

const webhookSecretSchema = z.string().regex(WEBHOOK_SECRET_RE, {
  error: (iss) => `expected 1 to 256 characters of A-Z a-z 0-9 _ - (Telegram's rule), got ${hidden(iss.input)}`,
});

const logLevelSchema = z.enum(LOG_LEVELS, {
  error: (iss) => `expected one of ${LOG_LEVELS.join(", ")}, got ${shown(iss.input)}`,
});

const schedulerSchema = z.enum(["on", "off"], {
  error: (iss) => `expected on or off, got ${shown(iss.input)}`,
});

const instanceIdSchema = z.string().regex(/^[\x21-\x7e]{1,128}$/, {
  error: (iss) => `expected 1 to 128 printable characters without spaces, got ${shown(iss.input)}`,
});

const envSchema = z
  .object({
    BOT_TOKEN: botTokenSchema,
    DATABASE_URL: databaseSchema.default(() => ({
      kind: "sqlite" as const,
      url: DEFAULTS.DATABASE_URL,
      path: DEFAULTS.DATABASE_URL.slice("file:".length),
    })),
    TELEGRAM_API_ROOT: apiRootSchema.default(DEFAULTS.TELEGRAM_API_ROOT),
    CLUSTER_CONFIG: z
      .string()
      .optional()
      .transform((s) =>
        (s ?? "")
          .split(",")
          .map((p) => p.trim())
          .filter((p) => p !== ""),
      ),
    WEBHOOK_URL: webhookUrlSchema.optional(),
    WEBHOOK_SECRET: webhookSecretSchema.optional(),
    PORT: portSchema.default(DEFAULTS.PORT),
    LOG_LEVEL: z
      .string()
      .transform((s) => s.toLowerCase())
      .pipe(logLevelSchema)
      .default(DEFAULTS.LOG_LEVEL),
    INSTANCE_ID: instanceIdSchema.optional(),
    SCHEDULER: z
      .string()
      .transform((s) => s.toLowerCase())
      .pipe(schedulerSchema)
      .default(DEFAULTS.SCHEDULER),
  })
  .superRefine((env, ctx) => {
    if (env.WEBHOOK_URL !== undefined && env.WEBHOOK_SECRET === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["WEBHOOK_SECRET"],
        message: "required when WEBHOOK_URL is set: 1 to 256 characters of A-Z a-z 0-9 _ -",
      });
    }
  });

const ENV_KEYS = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];

// ---------------------------------------------------------------------------------------------

/**
 * Validates environment variables into a `Config`. Pure: pass `process.env` or a test table.
 * Blank values count as unset. Throws `ConfigError` naming every bad variable (one line).
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const input: Record<string, string> = {};
  for (const key of ENV_KEYS) {
    const value = env[key]?.trim();
    if (value !== undefined && value !== "") input[key] = value;
  }
  const result = envSchema.safeParse(input);
  if (!result.success) {
    const variables: string[] = [];
    const parts: string[] = [];
    for (const issue of result.error.issues) {
      const variable = String(issue.path[0] ?? "environment");
      if (!variables.includes(variable)) variables.push(variable);
      parts.push(`${variable}: ${issue.message}`);
    }
    throw new ConfigError(`Bad configuration: ${parts.join("; ")}`, variables);
  }
  const e = result.data;
  const transport: TransportConfig =
    e.WEBHOOK_URL !== undefined && e.WEBHOOK_SECRET !== undefined
      ? { mode: "webhook", url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET, port: e.PORT }
      : { mode: "polling", port: e.PORT };
  const config: Config = {
    botToken: e.BOT_TOKEN,
    database: e.DATABASE_URL,
    telegramApiRoot: e.TELEGRAM_API_ROOT,
    clusterConfigPaths: e.CLUSTER_CONFIG,
    transport,
    logLevel: e.LOG_LEVEL,
    instanceId: e.INSTANCE_ID,
    scheduler: e.SCHEDULER === "on",
  };
  return withRedactedViews(config);
}

/** Reads `process.env`. The only place in the code base that does. */
export function loadConfig(): Config {
  return parseConfig(process.env);
}

/** The bot token, or a ConfigError when it is absent (commands that talk to Telegram call this). */
export function requireBotToken(config: Config): string {
  if (config.botToken === undefined) {
    throw new ConfigError(
      "BOT_TOKEN is required to run the bot: set it to the token from @BotFather (<digits>:<secret>)",
      ["BOT_TOKEN"],
    );
  }
  return config.botToken;
}

/** A copy safe to log or print: secrets replaced, database password masked. */
export function redactConfig(config: Config): Record<string, unknown> {
  const database =
    config.database.kind === "postgres"
      ? { ...config.database, url: maskUrlPassword(config.database.url) }
      : { ...config.database };
  const transport =
    config.transport.mode === "webhook" ? { ...config.transport, secret: "[redacted]" } : config.transport;
  return {
    botToken: config.botToken === undefined ? undefined : "[redacted]",
    database,
    telegramApiRoot: config.telegramApiRoot,
    clusterConfigPaths: [...config.clusterConfigPaths],
    transport,
    logLevel: config.logLevel,
    instanceId: config.instanceId,
    scheduler: config.scheduler,
  };
}

function maskUrlPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== "") u.password = "***";
    return u.toString();
  } catch {
    return "[redacted]";
  }
}

/**
 * Makes `String(config)`, `JSON.stringify(config)` (and so pino) and `util.inspect(config)` show the
 * redacted view. Non-enumerable, so spreading and equality checks see plain data.
 */
function withRedactedViews(config: Config): Config {
  const view = () => redactConfig(config);
  Object.defineProperties(config, {
    toJSON: { value: view, enumerable: false },
    toString: { value: () => `Config ${JSON.stringify(view())}`, enumerable: false },
    [Symbol.for("nodejs.util.inspect.custom")]: { value: view, enumerable: false },
  });
  return config;
}
