import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, test } from "vitest";

import { REPOSITORY_ROOT, SPEC_PATH } from "../../scripts/lib/paths.js";

let workDir: string;

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), "generate-test-"));
});

afterEach(async () => {
  await rm(workDir, { recursive: true, force: true });
});

function runGenerate(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/generate.ts", ...args], {
    cwd: REPOSITORY_ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
}

/** Writes a small OpenAPI document with one POST operation and returns its path. */
async function writeFixtureSpec(
  operation: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const document = {
    openapi: "3.0.0",
    info: { title: "Fixture", version: "1.0.0" },
    security: [{ bearerAuth: [] }],
    paths: { "/things": { post: { responses: { "200": { description: "OK" } }, ...operation } } },
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer" },
        tenantAuth: { type: "http", scheme: "basic" },
      },
      schemas: {
        ThingRequest: {
          type: "object",
          required: ["name"],
          properties: {
            name: { type: "string" },
            mode: { type: "string", enum: ["fast", "slow"], default: "fast" },
            tags: { type: "array", items: { type: "string" }, minItems: 1, maxItems: 3 },
          },
        },
      },
    },
    ...extra,
  };

  const path = join(workDir, "spec.json");
  await writeFile(path, `${JSON.stringify(document, null, 2)}\n`);
  return path;
}

describe("generate --check", () => {
  test("passes right after generating", async () => {
    const out = join(workDir, "generated");

    expect(runGenerate("--spec", SPEC_PATH, "--out", out).status).toBe(0);
    const check = runGenerate("--check", "--spec", SPEC_PATH, "--out", out);

    expect(check.status).toBe(0);
    expect(check.stdout).toContain("up to date");
  });

  test("fails on a hand-edited file", async () => {
    const out = join(workDir, "generated");
    runGenerate("--spec", SPEC_PATH, "--out", out);
    const typesPath = join(out, "client-api.ts");
    await writeFile(typesPath, `${await readFile(typesPath, "utf8")}// edited by hand\n`);

    const check = runGenerate("--check", "--spec", SPEC_PATH, "--out", out);

    expect(check.status).toBe(1);
    expect(check.stderr).toContain("client-api.ts");
    expect(check.stderr).toContain("Run `npm run generate`");
  });

  test("fails on a missing file", async () => {
    const out = join(workDir, "generated");
    runGenerate("--spec", SPEC_PATH, "--out", out);
    await rm(join(out, "operation-auth.ts"));

    const check = runGenerate("--check", "--spec", SPEC_PATH, "--out", out);

    expect(check.status).toBe(1);
    expect(check.stderr).toContain("operation-auth.ts");
  });

  test("fails after a spec change", async () => {
    const out = join(workDir, "generated");
    const specPath = await writeFixtureSpec({});
    runGenerate("--spec", specPath, "--out", out);
    await writeFixtureSpec({ summary: "Changed summary" });

    const check = runGenerate("--check", "--spec", specPath, "--out", out);

    expect(check.status).toBe(1);
  });
});

describe("generated types", () => {
  test("keep request fields with defaults optional", async () => {
    const specPath = await writeFixtureSpec({
      requestBody: {
        required: true,
        content: { "application/json": { schema: { $ref: "#/components/schemas/ThingRequest" } } },
      },
    });
    const out = join(workDir, "generated");

    expect(runGenerate("--spec", specPath, "--out", out).status).toBe(0);
    const types = await readFile(join(out, "client-api.ts"), "utf8");

    expect(types).toMatch(/\bname: string;/);
    expect(types).toMatch(/\bmode\?: "fast" \| "slow";/);
  });

  test("keep arrays mutable and untupled", async () => {
    const specPath = await writeFixtureSpec({});
    const out = join(workDir, "generated");

    runGenerate("--spec", specPath, "--out", out);
    const types = await readFile(join(out, "client-api.ts"), "utf8");

    expect(types).toMatch(/\btags\?: string\[\];/);
    expect(types).not.toContain("readonly");
  });

  test("show x-unconfirmed notes in JSDoc", async () => {
    const specPath = await writeFixtureSpec({
      "x-unconfirmed": "Only the SDKs call this operation.",
      requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/ThingRequest" } } } },
    });
    const out = join(workDir, "generated");

    runGenerate("--spec", specPath, "--out", out);
    const types = await readFile(join(out, "client-api.ts"), "utf8");

    expect(types).toContain("Unconfirmed: Only the SDKs call this operation.");
  });

  test("carry the generated-file header", async () => {
    const specPath = await writeFixtureSpec({});
    const out = join(workDir, "generated");

    runGenerate("--spec", specPath, "--out", out);

    for (const name of ["client-api.ts", "operation-auth.ts"]) {
      const content = await readFile(join(out, name), "utf8");
      expect(content.startsWith("// Generated by scripts/generate.ts")).toBe(true);
      expect(content).toMatch(/\/\/ spec sha256: [0-9a-f]{64}\n/);
    }
  });
});

describe("generated auth table", () => {
  test("lists alternatives in spec order", async () => {
    const specPath = await writeFixtureSpec({ security: [{ bearerAuth: [] }, { tenantAuth: [] }] });
    const out = join(workDir, "generated");

    runGenerate("--spec", specPath, "--out", out);
    const table = await readFile(join(out, "operation-auth.ts"), "utf8");

    expect(table).toContain(`"POST /things": ["bearer", "basic"],`);
    expect(table).toContain(`export const defaultAuth: readonly AuthMethod[] = ["bearer"];`);
  });

  test("maps an empty security list to anonymous", async () => {
    const specPath = await writeFixtureSpec({ security: [] });
    const out = join(workDir, "generated");

    runGenerate("--spec", specPath, "--out", out);
    const table = await readFile(join(out, "operation-auth.ts"), "utf8");

    expect(table).toContain(`"POST /things": ["anonymous"],`);
  });

  test("rejects an unsupported security scheme", async () => {
    const specPath = await writeFixtureSpec(
      { security: [{ apiKeyAuth: [] }] },
      {
        components: {
          securitySchemes: {
            bearerAuth: { type: "http", scheme: "bearer" },
            apiKeyAuth: { type: "apiKey", in: "header", name: "X-Key" },
          },
        },
      },
    );

    const run = runGenerate("--spec", specPath, "--out", join(workDir, "generated"));

    expect(run.status).toBe(1);
    expect(run.stderr).toContain('POST /things uses the security scheme "apiKeyAuth" of type "apiKey"');
  });

  test("rejects schemes required together", async () => {
    const specPath = await writeFixtureSpec({ security: [{ bearerAuth: [], tenantAuth: [] }] });

    const run = runGenerate("--spec", specPath, "--out", join(workDir, "generated"));

    expect(run.status).toBe(1);
    expect(run.stderr).toContain("requires the security schemes bearerAuth and tenantAuth together");
  });
});
