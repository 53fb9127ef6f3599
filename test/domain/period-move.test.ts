import { describe, expect, it } from "vitest";
import { checkDateOrder, FIELD_EVENT } from "../../src/domain/period-move.ts";
import type { PeriodDateField } from "../../src/domain/types.ts";

const d = (s: string) => new Date(`2026-${s}:00Z`);
const q3: Record<PeriodDateField, Date> = {
  opens: d("09-20T01:00"),
  deadline: d("10-05T10:00"),
  post: d("10-09T09:00"),
  briefing: d("10-10T01:00"),
};

describe("checkDateOrder", () => {
  it("accepts a move that keeps opening < deadline ≤ post ≤ briefing and deadline < briefing", () => {
    expect(checkDateOrder({ ...q3, deadline: d("10-07T10:00") }, "deadline")).toBeNull();
    // the post may fall on the deadline and on the briefing (both inclusive)
    expect(checkDateOrder({ ...q3, post: q3.deadline }, "post")).toBeNull();
    expect(checkDateOrder({ ...q3, post: q3.briefing }, "post")).toBeNull();
  });

  it("names the date the moved one must stay before or after", () => {
    expect(checkDateOrder({ ...q3, opens: d("10-08T01:00") }, "opens")).toEqual({
      code: "order",
      field: "opens",
      relation: "before",
      other: "deadline",
      otherAt: q3.deadline,
    });
    expect(checkDateOrder({ ...q3, opens: q3.deadline }, "opens")).toMatchObject({ other: "deadline" });
    expect(checkDateOrder({ ...q3, deadline: d("09-19T01:00") }, "deadline")).toEqual({
      code: "order",
      field: "deadline",
      relation: "after",
      other: "opens",
      otherAt: q3.opens,
    });
    expect(checkDateOrder({ ...q3, deadline: d("10-09T10:00") }, "deadline")).toMatchObject({
      relation: "before",
      other: "post",
    });
    expect(checkDateOrder({ ...q3, briefing: d("10-09T08:00") }, "briefing")).toMatchObject({
      relation: "after",
      other: "post",
    });
    expect(checkDateOrder({ ...q3, post: d("10-05T09:00") }, "post")).toMatchObject({
      relation: "after",
      other: "deadline",
    });
  });

  it("only checks the pairs the moved date is in", () => {
    // an order already broken elsewhere does not block moving the briefing
    const broken = { ...q3, opens: d("10-06T01:00") };
    expect(checkDateOrder({ ...broken, briefing: d("10-11T01:00") }, "briefing")).toBeNull();
  });

  it("drives the opening, the deadline list and the summary post; the briefing drives nothing", () => {
    expect(FIELD_EVENT).toEqual({ opens: "open", deadline: "deadline", briefing: null, post: "summary_post" });
  });
});
