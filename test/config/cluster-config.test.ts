import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { canonicalJson, configHash, indicatorSetHash } from "../../src/cluster-config/hash.ts";
import {
  ClusterConfigErrors,
  loadClusterConfigFile,
  loadClusterConfigFiles,
  parseClusterConfigText,
} from "../../src/cluster-config/load.ts";
import {
  type ClusterConfig,
  ClusterConfigError,
  DEFAULT_CALENDAR,
  formatPath,
  parseClusterConfig,
} from "../../src/cluster-config/schema.ts";

const EXAMPLE = fileURLToPath(new URL("../../docs/examples/btc-5tp.yaml", import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cluster-config-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content, "utf8");
  return path;
}

async function loadError(path: string): Promise<ClusterConfigError> {
  try {
    await loadClusterConfigFile(path);
  } catch (err) {
    expect(err).toBeInstanceOf(ClusterConfigError);
    return err as ClusterConfigError;
  }
  throw new Error(`expected ${path} to be rejected`);
}

/** Raw configuration data, mutated freely by the table below to break it in one place. */
// biome-ignore lint/suspicious/noExplicitAny: deliberately untyped input for the validator
type Data = Record<string, any>;

/** A small valid configuration as plain data; tests mutate copies of it. */
function base(): Data {
  return {
    cluster: { code: "test-cluster", name: "Cụm thử" },
    boards: [
      { code: "HN", name: "Ban Tổ chức Thành ủy Hà Nội", shortName: "Hà Nội" },
      { code: "HCM", name: "Ban Tổ chức Thành ủy TP. Hồ Chí Minh", shortName: "TP.HCM" },
    ],
    indicators: [
      { code: "ket_nap", label: "Số đảng viên mới kết nạp", unit: "người", kind: "integer", min: 0, weight: 20 },
      { code: "ty_le", label: "Tỷ lệ", kind: "percent", min: 0, max: 100, weight: 10, better: "lower" },
      { code: "trung_binh", label: "Trung bình", kind: "decimal", required: false },
      { code: "de_an", label: "Số đề án", unit: "đề án", kind: "integer", weight: 10 },
      { code: "ghi_chu", label: "Ghi chú", kind: "text", required: false },
    ],
  };
}

describe("the example docs/examples/btc-5tp.yaml", () => {
  let config: ClusterConfig;
  beforeAll(async () => {
    config = await loadClusterConfigFile(EXAMPLE);
  });

  it("describes the cluster of the six centrally-run cities (Huế since 2025)", () => {
    expect(config.cluster).toEqual({
      code: "btc-5tp",
      name: "Cụm thi đua Ban Tổ chức các Thành ủy trực thuộc Trung ương",
      timezone: "Asia/Ho_Chi_Minh",
      place: "Hà Nội",
    });
    expect(config.indicators.filter((i) => i.kind === "text").map((i) => [i.code, i.section])).toEqual([
      ["ket_qua_noi_bat", "highlights"],
      ["kho_khan_kien_nghi", "difficulties"],
    ]);
    expect(config.boards.map((b) => [b.code, b.shortName, b.active])).toEqual([
      ["HN", "Hà Nội", true],
      ["HCM", "TP.HCM", true],
      ["HP", "Hải Phòng", true],
      ["DN", "Đà Nẵng", true],
      ["CT", "Cần Thơ", true],
      ["HUE", "Huế", true],
    ]);
    expect(config.boards[0]?.name).toBe("Ban Tổ chức Thành ủy Hà Nội");
  });

  it("has the full indicator set of the product brief, in order", () => {
    expect(config.indicators.map((i) => i.code)).toEqual([
      "ket_nap",
      "chinh_thuc",
      "tcd_moi",
      "tcd_dn_ngoai_nn",
      "bo_nhiem",
      "luan_chuyen",
      "dao_tao_llct",
      "lop_boi_duong",
      "de_an",
      "bvct_ho_so",
      "ket_qua_noi_bat",
      "kho_khan_kien_nghi",
    ]);
    expect(config.indicators[0]).toEqual({
      code: "ket_nap",
      label: "Số đảng viên mới kết nạp",
      unit: "người",
      kind: "integer",
      min: 0,
      max: 100000,
      required: true,
      weight: 20,
      better: "higher",
      target: 1000,
      help: "Tính trong quý, không cộng dồn từ đầu năm.",
    });
    const numeric = config.indicators.filter((i) => i.kind !== "text");
    const text = config.indicators.filter((i) => i.kind === "text");
    expect(numeric.every((i) => i.kind === "integer" && i.min === 0 && i.max !== undefined && i.required)).toBe(true);
    expect(numeric.every((i) => i.help !== undefined && i.help.length > 10)).toBe(true);
    expect(numeric.reduce((sum, i) => sum + i.weight, 0)).toBe(100);
    expect(text.map((i) => [i.code, i.weight, i.required])).toEqual([
      ["ket_qua_noi_bat", 0, false],
      ["kho_khan_kien_nghi", 0, false],
    ]);
  });

  it("scores timely reporting and uses the default calendar", () => {
    expect(config.scoring).toEqual({ method: "relative-to-plan", cap: 120, onTimeWeight: 5 });
    expect(Object.keys(config.plans)).toEqual(["2026"]);
    expect(config.rules.map((r) => r.text)).toEqual(["tcd_dn_ngoai_nn <= tcd_moi"]);
    expect(config.calendar).toEqual({ ...DEFAULT_CALENDAR, workdays: ["mon", "tue", "wed", "thu", "fri"] });
  });

  it("keeps unquoted period date-times as strings", () => {
    expect(config.periods).toEqual({
      "2026-Q4": {
        opens: "2026-12-21T08:00",
        deadline: "2027-01-05T17:00",
        briefing: "2027-01-10T08:00",
        summaryPost: "2027-01-09T16:00",
      },
      "2027-Q2": { briefing: "2027-07-14T08:30", summaryPost: "2027-07-13T16:00" },
    });
  });
});

describe("defaults", () => {
  it("fills every optional key", () => {
    const config = parseClusterConfig(base(), "mem.yaml");
    expect(config.cluster).toEqual({ code: "test-cluster", name: "Cụm thử", timezone: "Asia/Ho_Chi_Minh" });
    expect(config.boards[0]?.active).toBe(true);
    expect(config.indicators[2]).toEqual({
      code: "trung_binh",
      label: "Trung bình",
      unit: "",
      kind: "decimal",
      required: false,
      weight: 0,
      better: "higher",
    });
    expect(config.scoring).toEqual({ method: "relative-to-best", onTimeWeight: 0 });
    expect(config.calendar).toEqual({
      opens: { daysBeforeQuarterEnd: 10, time: "08:00" },
      deadline: { daysAfterQuarterEnd: 5, time: "17:00" },
      briefing: { daysAfterQuarterEnd: 10, time: "08:00" },
      summaryPost: { daysBeforeBriefing: 1, time: "16:00" },
      reminders: ["3d", "1d", "2h"],
      quietHours: { from: "21:00", to: "07:00" },
      workdays: ["mon", "tue", "wed", "thu", "fri"],
    });
    expect(config.periods).toEqual({});
  });

  it("fills the rest of a partial calendar, normalizes times and orders reminders", () => {
    const data = base();
    data.calendar = { deadline: { time: "9:30" }, reminders: ["30m", "1d", "2h"], quietHours: null };
    const config = parseClusterConfig(data, "mem.yaml");
    expect(config.calendar).toEqual({
      opens: { daysBeforeQuarterEnd: 10, time: "08:00" },
      deadline: { daysAfterQuarterEnd: 5, time: "09:30" },
      briefing: { daysAfterQuarterEnd: 10, time: "08:00" },
      summaryPost: { daysBeforeBriefing: 1, time: "16:00" },
      reminders: ["1d", "2h", "30m"],
      workdays: ["mon", "tue", "wed", "thu", "fri"],
    });
  });

  it("reads working days, the year's extra days off and make-up days, and a per-date policy", () => {
    const data = base();
    data.calendar = {
      deadline: { nonWorkingDay: "previous" },
      workdays: ["mon", "tue", "wed", "thu", "fri", "sat"],
      holidays: ["2027-02-10"],
      makeupWorkdays: ["2027-02-20"],
    };
    const config = parseClusterConfig(data, "mem.yaml");
    expect(config.calendar.deadline).toEqual({ daysAfterQuarterEnd: 5, time: "17:00", nonWorkingDay: "previous" });
    expect(config.calendar.workdays).toEqual(["mon", "tue", "wed", "thu", "fri", "sat"]);
    expect(config.calendar.holidays).toEqual(["2027-02-10"]);
    expect(config.calendar.makeupWorkdays).toEqual(["2027-02-20"]);
    data.calendar = { workdays: ["monday"], holidays: ["2027-02-30"], opens: { nonWorkingDay: "later" } };
    const problems = (() => {
      try {
        parseClusterConfig(data, "mem.yaml");
        return "";
      } catch (err) {
        return String(err);
      }
    })();
    expect(problems).toContain("calendar.workdays[0]");
    expect(problems).toContain("calendar.holidays[0]");
    expect(problems).toContain("calendar.opens.nonWorkingDay");
  });

  it("treats optional indicator keys left blank as absent", () => {
    const text = [
      "cluster: { code: m, name: M }",
      "boards: [{ code: A, name: A, shortName: A }]",
      "indicators:",
      "  - code: a",
      "    label: A",
      "    kind: integer",
      "    unit:",
      "    min:",
      "    help:",
    ].join("\n");
    const config = parseClusterConfigText(text, "blank.yaml", "yaml");
    expect(config.indicators[0]).toEqual({
      code: "a",
      label: "A",
      unit: "",
      kind: "integer",
      required: true,
      weight: 0,
      better: "higher",
    });
  });

  it("keeps a group chat id as a string of digits, from a number or a string", () => {
    const data = base();
    data.cluster.groupChatId = -1001234567890;
    expect(parseClusterConfig(data, "mem.yaml").cluster.groupChatId).toBe("-1001234567890");
    data.cluster.groupChatId = "-1009876543210";
    expect(parseClusterConfig(data, "mem.yaml").cluster.groupChatId).toBe("-1009876543210");
    data.cluster.groupChatId = null;
    expect(parseClusterConfig(data, "mem.yaml").cluster).not.toHaveProperty("groupChatId");
  });

  it("takes the briefing document's signer from cluster.signer, each part optional", () => {
    const data = base();
    expect(parseClusterConfig(data, "mem.yaml").cluster).not.toHaveProperty("signer");
    data.cluster.signer = { position: " Giám đốc Sở Nội vụ ", name: "Nguyễn Văn Hùng" };
    expect(parseClusterConfig(data, "mem.yaml").cluster.signer).toEqual({
      position: "Giám đốc Sở Nội vụ",
      name: "Nguyễn Văn Hùng",
    });
    data.cluster.signer = { position: "Phó Trưởng ban", name: null };
    expect(parseClusterConfig(data, "mem.yaml").cluster.signer).toEqual({ position: "Phó Trưởng ban" });
  });

  it("reads a JSON file the same as YAML", async () => {
    const data = base();
    const fromJson = await loadClusterConfigFile(await write("ok.json", JSON.stringify(data, null, 2)));
    const fromYaml = await loadClusterConfigFile(await write("ok.yml", stringify(data)));
    expect(fromJson).toEqual(fromYaml);
  });

  it("supports YAML anchors, merge keys and top-level x- keys", () => {
    const text = [
      "x-count: &count { kind: integer, min: 0, max: 1000, weight: 10 }",
      "cluster: { code: m, name: M }",
      "boards: [{ code: A, name: A, shortName: A }]",
      "indicators:",
      "  - { <<: *count, code: a, label: A }",
      "  - { <<: *count, code: b, label: B, weight: 5 }",
    ].join("\n");
    const config = parseClusterConfigText(text, "anchors.yaml", "yaml");
    expect(config.indicators.map((i) => [i.code, i.kind, i.max, i.weight])).toEqual([
      ["a", "integer", 1000, 10],
      ["b", "integer", 1000, 5],
    ]);
  });

  it("rejects a Date where a local date-time is expected (data from other parsers)", () => {
    const data = base();
    data.periods = { "2026-Q4": { deadline: new Date("2027-01-05T10:00:00Z") } };
    expect(() => parseClusterConfig(data, "mem.yaml")).toThrow(
      /mem\.yaml: periods\.2026-Q4\.deadline: expected a local date-time "YYYY-MM-DDTHH:MM", got a date/,
    );
  });
});

type Case = {
  name: string;
  /** file name in the temp dir; the extension picks the parser */
  file: string;
  /** mutate base() … */
  mutate?: (data: Data) => void;
  /** … or give the raw text */
  raw?: string;
  /** every expected line: path and a fragment of what is expected */
  expect: [path: string, fragment: string][];
};

const VALID_YAML = stringify(base());

const cases: Case[] = [
  {
    name: "wrong type of a weight",
    file: "weight.yaml",
    mutate: (d) => {
      d.indicators[3].weight = "hai mươi";
    },
    expect: [["indicators[3].weight", 'expected a number ≥ 0, got "hai mươi"']],
  },
  {
    name: "negative weight",
    file: "negative.yaml",
    mutate: (d) => {
      d.indicators[1].weight = -5;
    },
    expect: [["indicators[1].weight", "expected a number ≥ 0, got -5"]],
  },
  {
    name: "duplicate board code (case-insensitive)",
    file: "dup-board.yaml",
    mutate: (d) => {
      d.boards.push({ code: "hn", name: "Khác", shortName: "Khác" });
    },
    expect: [["boards[2].code", 'duplicate board code "hn": already used at [0]']],
  },
  {
    name: "duplicate indicator code",
    file: "dup-indicator.yaml",
    mutate: (d) => {
      d.indicators[4].code = "ket_nap";
      d.indicators[4].kind = "integer";
    },
    expect: [["indicators[4].code", 'duplicate indicator code "ket_nap": already used at [0]']],
  },
  {
    name: "bad time 25:00",
    file: "time.yaml",
    mutate: (d) => {
      d.calendar = { deadline: { daysAfterQuarterEnd: 5, time: "25:00" } };
    },
    expect: [["calendar.deadline.time", 'expected a time "HH:MM" from 00:00 to 23:59, got "25:00"']],
  },
  {
    name: "bad time zone",
    file: "tz.yaml",
    mutate: (d) => {
      d.cluster.timezone = "Asia/Hanoi";
    },
    expect: [["cluster.timezone", 'expected an IANA time zone such as Asia/Ho_Chi_Minh, got "Asia/Hanoi"']],
  },
  {
    name: "unknown key (typo)",
    file: "typo.yaml",
    mutate: (d) => {
      d.calendar = { dealine: { daysAfterQuarterEnd: 5, time: "17:00" } };
    },
    expect: [["calendar.dealine", 'unknown key (did you mean "deadline"?)']],
  },
  {
    name: "unknown keys at several levels",
    file: "unknown.yaml",
    mutate: (d) => {
      d.colour = "red";
      d.boards[1].email = "x@example.vn";
      d.indicators[0].wieght = 3;
    },
    expect: [
      ["colour", "unknown key; expected one of cluster, boards, indicators, scoring, calendar, periods"],
      ["boards[1].email", "unknown key"],
      ["indicators[0].wieght", 'unknown key (did you mean "weight"?)'],
    ],
  },
  {
    name: "weight on a text indicator",
    file: "text-weight.yaml",
    mutate: (d) => {
      d.indicators[4].weight = 10;
    },
    expect: [["indicators[4].weight", "expected 0 or no weight: a text indicator is never scored, got 10"]],
  },
  {
    name: "a document section on a number, an unknown section on a text indicator",
    file: "section.yaml",
    mutate: (d) => {
      d.indicators[1].section = "highlights";
      d.indicators[4].section = "summary";
    },
    expect: [
      [
        "indicators[1].section",
        'expected no section on a percent indicator (only text indicators feed the document\'s sections), got "highlights"',
      ],
      [
        "indicators[4].section",
        'expected one of highlights, difficulties (the briefing document\'s section), got "summary"',
      ],
    ],
  },
  {
    name: "min > max",
    file: "min-max.yaml",
    mutate: (d) => {
      d.indicators[1].min = 80;
      d.indicators[1].max = 20;
    },
    expect: [["indicators[1].max", "expected a number ≥ min (80), got 20"]],
  },
  {
    name: "bad period key",
    file: "period-key.yaml",
    mutate: (d) => {
      d.periods = { "2026-Q5": { deadline: "2027-01-05T17:00" }, Q4: { deadline: "2027-01-05T17:00" } };
    },
    expect: [
      ["periods.2026-Q5", 'expected a period key like 2026-Q4 (year, "-Q", quarter 1 to 4), got "2026-Q5"'],
      ["periods.Q4", "expected a period key like 2026-Q4"],
    ],
  },
  {
    name: "period date in the wrong year and an impossible date",
    file: "period-date.yaml",
    mutate: (d) => {
      d.periods = { "2026-Q4": { deadline: "2026-01-05T17:00", briefing: "2027-02-30T08:00" } };
    },
    expect: [
      ["periods.2026-Q4.deadline", "expected a date near 2026-Q4"],
      ["periods.2026-Q4.briefing", 'expected a local date-time "YYYY-MM-DDTHH:MM" (a real date and time)'],
    ],
  },
  {
    name: "unknown kind, bad codes and missing label, all reported at once",
    file: "many.yaml",
    mutate: (d) => {
      d.cluster.code = "BTC 5TP";
      d.indicators[1].kind = "interger";
      d.indicators[2].code = "Trung-Binh";
      delete d.indicators[3].label;
    },
    expect: [
      ["cluster.code", 'expected a code of lowercase letters, digits and hyphens, e.g. btc-5tp, got "BTC 5TP"'],
      ["indicators[1].kind", 'expected one of integer, decimal, percent, text, got "interger"'],
      ["indicators[2].code", 'got "Trung-Binh"'],
      ["indicators[3].label", "missing: expected the question/label shown to secretaries"],
    ],
  },
  {
    name: "relative-to-target without targets",
    file: "target.yaml",
    mutate: (d) => {
      d.scoring = { method: "relative-to-target" };
      d.indicators[0].target = 500;
    },
    expect: [
      ["indicators[1].target", "expected a target (a number > 0) for a scored indicator"],
      ["indicators[3].target", "expected a target"],
    ],
  },
  {
    name: "calendar out of order",
    file: "order.yaml",
    mutate: (d) => {
      d.calendar = { deadline: { daysAfterQuarterEnd: 12 }, briefing: { daysAfterQuarterEnd: 10 } };
    },
    expect: [
      ["calendar.briefing", "expected the briefing after the deadline"],
      ["calendar.summaryPost", "expected the summary post between the deadline and the briefing"],
    ],
  },
  {
    name: "bad reminders",
    file: "reminders.yaml",
    mutate: (d) => {
      d.calendar = { reminders: ["3d", "3 days", "72h"] };
    },
    expect: [
      ["calendar.reminders[1]", 'expected an offset before the deadline like "3d", "2h" or "30m", got "3 days"'],
      ["calendar.reminders[2]", 'duplicate reminder "72h": same offset as [0]'],
    ],
  },
  {
    name: "no boards, indicators not a list",
    file: "empty-lists.yaml",
    mutate: (d) => {
      d.boards = [];
      d.indicators = { code: "x" };
    },
    expect: [
      ["boards", "expected at least one board"],
      ["indicators", "expected a list of indicators, got a mapping"],
    ],
  },
  {
    name: "missing cluster, bad group chat id elsewhere",
    file: "no-cluster.yaml",
    mutate: (d) => {
      delete d.cluster;
      d.boards[0].active = "yes";
    },
    expect: [
      ["cluster", "missing: expected a mapping (key: value)"],
      ["boards[0].active", 'expected true or false, got "yes"'],
    ],
  },
  {
    name: "bad group chat id and equal quiet hours",
    file: "chat-quiet.yaml",
    mutate: (d) => {
      d.cluster.groupChatId = "@cum_thi_dua";
      d.calendar = { quietHours: { from: "22:00", to: "22:00" } };
    },
    expect: [
      ["cluster.groupChatId", 'expected a Telegram chat id such as -1001234567890, got "@cum_thi_dua"'],
      ["calendar.quietHours.to", "expected a time different from `from`"],
    ],
  },
  {
    name: "a signer with a misspelt key and a blank name",
    file: "signer.yaml",
    mutate: (d) => {
      d.cluster.signer = { positon: "Trưởng ban", name: "  " };
    },
    expect: [
      ["cluster.signer.positon", 'unknown key (did you mean "position"?); expected one of position, name'],
      ["cluster.signer.name", `expected the signer's full name such as Nguyễn Văn Hùng, got ""`],
    ],
  },
  {
    name: "YAML syntax error",
    file: "syntax.yaml",
    raw: 'cluster:\n  code: x\n  name: "unterminated\nboards: []\n',
    expect: [["(syntax)", "YAML syntax error"]],
  },
  {
    name: "duplicate YAML key",
    file: "dup-key.yaml",
    raw: `${VALID_YAML}boards: []\n`,
    expect: [["(syntax)", "YAML syntax error: Map keys must be unique"]],
  },
  {
    name: "JSON file with a wrong type",
    file: "bad.json",
    raw: JSON.stringify({ ...base(), scoring: { method: "relative-to-best", onTimeWeight: "5" } }, null, 2),
    expect: [["scoring.onTimeWeight", 'expected a number ≥ 0, got "5"']],
  },
  {
    name: "JSON syntax error",
    file: "syntax.json",
    raw: '{\n  "cluster": { "code": "x", },\n}\n',
    expect: [["(syntax)", "JSON syntax error"]],
  },
  {
    name: "empty file",
    file: "empty.yaml",
    raw: "# nothing here\n",
    expect: [["(top level)", "the file is empty"]],
  },
  {
    name: "a list instead of a mapping",
    file: "list.yaml",
    raw: "- cluster\n- boards\n",
    expect: [["(top level)", "expected a mapping with the keys cluster, boards, indicators"]],
  },
];

describe("broken files", () => {
  it.each(cases)("$name", async (c) => {
    let content = c.raw;
    if (content === undefined) {
      const data = base();
      c.mutate?.(data);
      content = c.file.endsWith(".json") ? JSON.stringify(data, null, 2) : stringify(data);
    }
    const path = await write(c.file, content);
    const err = await loadError(path);
    const lines = err.message.split("\n");
    expect(lines).toHaveLength(c.expect.length);
    for (const [fieldPath, fragment] of c.expect) {
      const line = lines.find((l) => l.startsWith(`${path}: ${fieldPath}: `));
      expect(line, `no line for ${fieldPath} in:\n${err.message}`).toBeDefined();
      expect(line).toContain(fragment);
    }
    expect(err.file).toBe(path);
    expect(err.issues.map((i) => i.path).sort()).toEqual(c.expect.map(([p]) => p).sort());
  });

  it("gives the line of the field in YAML", async () => {
    const data = base();
    data.indicators[3].weight = "hai mươi";
    const text = stringify(data);
    const expectedLine = text.split("\n").findIndex((l) => l.includes("weight: hai mươi")) + 1;
    const err = await loadError(await write("line.yaml", text));
    expect(err.message).toMatch(/indicators\[3\]\.weight: expected a number ≥ 0, got "hai mươi" \(line (\d+)\)$/);
    expect(err.issues[0]?.line).toBe(expectedLine);
  });

  it("gives the line of a syntax error", async () => {
    const err = await loadError(await write("syntax-line.yaml", "cluster:\n  code: x\n  name: [a, b\nboards: []\n"));
    expect(err.issues.every((i) => typeof i.line === "number" && i.line >= 3)).toBe(true);
  });

  it("names a missing file", async () => {
    const path = join(dir, "does-not-exist.yaml");
    const err = await loadError(path);
    expect(err.message).toBe(`${path}: (file): file not found`);
  });

  it("rejects an unsupported extension", async () => {
    const err = await loadError(await write("cluster.toml", VALID_YAML));
    expect(err.message).toContain("expected a .yaml, .yml or .json file");
  });
});

describe("several files", () => {
  it("loads them all, and rejects two clusters with the same code", async () => {
    const a = await write("a.yaml", VALID_YAML);
    const other = base();
    other.cluster.code = "other";
    const b = await write("b.json", JSON.stringify(other));
    const configs = await loadClusterConfigFiles([a, b]);
    expect(configs.map((c) => c.cluster.code)).toEqual(["test-cluster", "other"]);

    const c = await write("c.yaml", VALID_YAML);
    await expect(loadClusterConfigFiles([a, c])).rejects.toThrow(
      `${c}: cluster.code: duplicate cluster code "test-cluster": already defined in ${a}`,
    );
  });

  it("reports the errors of every bad file", async () => {
    const bad1 = await write("bad1.yaml", "cluster: 1\n");
    const bad2 = join(dir, "missing.yaml");
    const err = await loadClusterConfigFiles([bad1, bad2]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClusterConfigErrors);
    const message = (err as Error).message;
    expect(message).toContain(`${bad1}: cluster:`);
    expect(message).toContain(`${bad2}: (file): file not found`);
  });
});

describe("hashes", () => {
  it("are stable under key order, formatting and explicit defaults", () => {
    const a = parseClusterConfigText(VALID_YAML, "a.yaml", "yaml");
    const reordered = base();
    const shuffled = {
      indicators: reordered.indicators.map((i: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(i).reverse()),
      ),
      boards: reordered.boards,
      cluster: { name: reordered.cluster.name, code: reordered.cluster.code, timezone: "Asia/Ho_Chi_Minh" },
      calendar: { reminders: ["2h", "3d", "1d"] },
      scoring: { onTimeWeight: 0 },
    };
    const b = parseClusterConfigText(JSON.stringify(shuffled), "b.json", "json");
    expect(configHash(b)).toBe(configHash(a));
    expect(indicatorSetHash(b.indicators)).toBe(indicatorSetHash(a.indicators));
    expect(configHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("change with the content", () => {
    const a = parseClusterConfig(base(), "a.yaml");
    const relabeled = base();
    relabeled.indicators[0].label = "Số đảng viên kết nạp mới";
    const b = parseClusterConfig(relabeled, "b.yaml");
    expect(indicatorSetHash(b.indicators)).not.toBe(indicatorSetHash(a.indicators));
    expect(configHash(b)).not.toBe(configHash(a));

    const renamed = base();
    renamed.boards[0].shortName = "HN";
    const c = parseClusterConfig(renamed, "c.yaml");
    expect(indicatorSetHash(c.indicators)).toBe(indicatorSetHash(a.indicators));
    expect(configHash(c)).not.toBe(configHash(a));

    const reordered = base();
    reordered.indicators.reverse();
    expect(indicatorSetHash(parseClusterConfig(reordered, "d.yaml").indicators)).not.toBe(
      indicatorSetHash(a.indicators),
    );
  });

  it("canonical JSON sorts keys at every level and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined, x: 0 }], c: "é" } })).toBe(
      '{"a":{"c":"é","d":[2,{"x":0,"z":1}]},"b":1}',
    );
  });
});

describe("formatPath", () => {
  it.each<[PropertyKey[], string]>([
    [[], "(top level)"],
    [["indicators", 3, "weight"], "indicators[3].weight"],
    [["periods", "2026-Q4", "deadline"], "periods.2026-Q4.deadline"],
    [["periods", "quý 4"], 'periods["quý 4"]'],
  ])("%j → %s", (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });
});

describe("isolation", () => {
  it("gives every parse its own default objects", () => {
    const a = parseClusterConfig(base(), "a.yaml");
    a.calendar.reminders.push("5m");
    a.calendar.quietHours!.from = "23:00";
    const b = parseClusterConfig(base(), "b.yaml");
    expect(b.calendar.reminders).toEqual(["3d", "1d", "2h"]);
    expect(b.calendar.quietHours).toEqual({ from: "21:00", to: "07:00" });
    expect(DEFAULT_CALENDAR.reminders).toEqual(["3d", "1d", "2h"]);
  });
});
