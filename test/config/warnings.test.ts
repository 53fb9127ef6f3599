// `cli apply` advice on board short names: too long for a chart line, or sharing a long start.
import { describe, expect, it } from "vitest";
import { commonWordPrefix, shortNameWarnings } from "../../src/cluster-config/warnings.ts";

const board = (code: string, shortName: string, active = true) => ({ code, shortName, active });

describe("short name warnings", () => {
  it("says nothing about short, distinct names (the example cluster)", () => {
    expect(
      shortNameWarnings([
        board("HN", "Hà Nội"),
        board("HCM", "TP.HCM"),
        board("HP", "Hải Phòng"),
        board("CT", "Cần Thơ"),
      ]),
    ).toEqual([]);
  });

  it("names a short name longer than a chart line, with its path", () => {
    const w = shortNameWarnings([board("HN", "Hà Nội"), board("X", "Ban Tổ chức Thành ủy Thành phố Hồ Chí Minh")]);
    expect(w).toEqual([
      {
        path: "boards[1].shortName",
        message:
          '"Ban Tổ chức Thành ủy Thành phố Hồ Chí Minh" is 42 characters; charts show about 24 a line (longer names are wrapped or cut in the middle)',
      },
    ]);
  });

  it("groups the boards whose names share a long start, once, and leaves retired boards alone", () => {
    const boards = [
      board("A1", "Bà Rịa–Vũng Tàu khu 1"),
      board("HN", "Hà Nội"),
      board("A2", "Bà Rịa–Vũng Tàu khu 2"),
      board("A3", "Bà Rịa–Vũng Tàu khu 3"),
      board("A4", "Bà Rịa–Vũng Tàu khu 4", false),
      board("HN2", "Hà Nội mới"),
    ];
    const w = shortNameWarnings(boards);
    expect(w).toHaveLength(1);
    expect(w[0]!.path).toBe("boards[0].shortName");
    expect(w[0]!.message).toBe(
      '3 boards (A1, A2, A3) have short names starting with "Bà Rịa–Vũng Tàu khu" (19 characters); they look alike in charts — give each a short name that differs early',
    );
  });

  it("finds the shared start at a word", () => {
    expect(commonWordPrefix("Hà Nội 1", "Hà Nội 2")).toBe("Hà Nội");
    expect(commonWordPrefix("Hải Phòng", "Hà Nội")).toBe("");
    expect(commonWordPrefix("Bà Rịa mở rộng", "Bà Rịa mở")).toBe("Bà Rịa mở");
    expect(commonWordPrefix("Cần Thơ", "Cần Thơ")).toBe("Cần Thơ");
  });
});
