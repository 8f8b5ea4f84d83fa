import { describe, expect, it } from "vitest";
import committed from "../../docs/protocol.md?raw";
import { protocolMarkdown } from "../../scripts/protocol-docs";
import { servedDocument } from "./openapi-document";

describe("docs/protocol.md", () => {
  it("is what the served OpenAPI document and the frame schemas generate (run `npm run docs` after changing a route or a schema)", async () => {
    expect(committed).toBe(protocolMarkdown(await servedDocument()));
  });
});
