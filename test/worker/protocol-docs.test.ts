import { describe, expect, it } from "vitest";
import committed from "../../docs/protocol.md?raw";
import { protocolMarkdown } from "../../scripts/protocol-docs";

describe("docs/protocol.md", () => {
  it("is what the current schemas generate (run `npm run docs` after changing them)", () => {
    expect(committed).toBe(protocolMarkdown());
  });
});
