// The pure part of people over a year: the role words after /moi, and which term covers an instant.
import { describe, expect, it } from "vitest";
import { parseInviteTarget } from "../../src/domain/chat-words.ts";
import { periodChairInstant, termAt } from "../../src/domain/members.ts";

describe("parseInviteTarget (the words after /moi)", () => {
  it.each([
    ["HN", { role: "secretary", board: "HN" }],
    ["hn thuky", { role: "secretary", board: "hn" }],
    ["HN thư ký", { role: "secretary", board: "HN" }],
    ["HN lanhdao", { role: "leader", board: "HN" }],
    ["HN Lãnh đạo", { role: "leader", board: "HN" }],
    ["HN leader", { role: "leader", board: "HN" }],
    ["cumtruong", { role: "chair", board: null }],
    ["  CumTruong   HCM ", { role: "chair", board: "HCM" }],
    ["cụm trưởng HCM", { role: "chair", board: "HCM" }],
    ["chair", { role: "chair", board: null }],
    ["cumpho", { role: "deputy", board: null }],
    ["cụm phó", { role: "deputy", board: null }],
    ["deputy", { role: "deputy", board: null }],
  ])("%j → %j", (text, value) => {
    expect(parseInviteTarget(text)).toEqual(value);
  });

  it.each(["", "   ", "HN cumtruong", "HN thu_ky x", "cumtruong HCM HN"])("%j is not understood", (text) => {
    expect(parseInviteTarget(text)).toBeNull();
  });
});

describe("termAt", () => {
  const d = (s: string) => new Date(`${s}T00:00:00Z`);
  const t2026 = { id: 1, startedAt: d("2026-01-05"), endedAt: d("2027-01-08") };
  const t2027 = { id: 2, startedAt: d("2027-01-08"), endedAt: null };

  it("the term in force; the boundary belongs to the new term", () => {
    expect(termAt([t2027, t2026], d("2026-12-31"))?.id).toBe(1);
    expect(termAt([t2026, t2027], d("2027-01-08"))?.id).toBe(2);
    expect(termAt([t2026, t2027], d("2030-01-01"))?.id).toBe(2);
  });

  it("before the history starts: the first term; in a gap: the next one; none: null", () => {
    expect(termAt([t2026, t2027], d("2025-06-01"))?.id).toBe(1);
    const gap = [
      { id: 1, startedAt: d("2026-01-01"), endedAt: d("2026-06-01") },
      { id: 2, startedAt: d("2026-09-01"), endedAt: d("2026-10-01") },
    ];
    expect(termAt(gap, d("2026-07-01"))?.id).toBe(2);
    expect(termAt(gap, d("2027-01-01"))?.id).toBe(2);
    expect(termAt([], d("2026-07-01"))).toBeNull();
  });

  it("a quarter's chair is read at its last minute on the cluster's wall clock", () => {
    expect(periodChairInstant({ year: 2026, quarter: 4 }, "Asia/Ho_Chi_Minh").toISOString()).toBe(
      "2026-12-31T16:59:00.000Z",
    );
    expect(periodChairInstant({ year: 2027, quarter: 1 }, "Asia/Ho_Chi_Minh").toISOString()).toBe(
      "2027-03-31T16:59:00.000Z",
    );
  });
});
