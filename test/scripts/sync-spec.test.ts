// Runs `npm run spec:sync` (scripts/sync-spec.ts) against a copy of the repository's spec,
// generated files, changesets and package.json, with the upstream document served by a local
// HTTP server that each test shapes.
import { createHash } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

import { afterEach, beforeEach, describe, expect, test } from "vitest";

import type { OpenApiDocument } from "../../scripts/lib/openapi.js";
import { REPOSITORY_ROOT } from "../../scripts/lib/paths.js";
import { findClosedPort, runScript, startLocalServer, type LocalServer } from "../support/local-http.js";

const EXIT_UNCHANGED = 0;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;
const EXIT_CHANGED = 3;

let root: string;
let server: LocalServer | undefined;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "spec-sync-test-"));
  for (const entry of ["spec", "generated", ".changeset", "package.json"]) {
    await cp(join(REPOSITORY_ROOT, entry), join(root, entry), { recursive: true });
  }
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(root, { recursive: true, force: true });
});

async function committedSpec(): Promise<OpenApiDocument> {
  return JSON.parse(await readFile(join(REPOSITORY_ROOT, "spec", "client-api.json"), "utf8")) as OpenApiDocument;
}

/** Serves `body` with `status` and `headers` for every request, and returns the URL of the document. */
async function serve(
  body: string,
  status = 200,
  headers: Record<string, string> = { "Content-Type": "application/json" },
) {
  server = await startLocalServer((_request, response) => {
    response.writeHead(status, headers);
    response.end(body);
  });
  return `${server.url}/client-api.json`;
}

function sync(specUrl: string, ...args: string[]) {
  return runScript("scripts/sync-spec.ts", ["--root", root, ...args], { AUTHSIGNAL_SPEC_URL: specUrl });
}

/** Lists every file under spec/, generated/ and .changeset/ with its SHA-256 and mtime. */
async function snapshotFiles(): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};

  for (const folder of ["spec", "generated", ".changeset"]) {
    for (const name of await readdir(join(root, folder), { recursive: true })) {
      const path = join(root, folder, name);
      const info = await stat(path);
      if (!info.isFile()) continue;

      const hash = createHash("sha256")
        .update(await readFile(path))
        .digest("hex");
      snapshot[relative(root, path)] = `${hash} ${info.mtimeMs}`;
    }
  }

  return snapshot;
}

async function newChangesets(): Promise<string[]> {
  const names = await readdir(join(root, ".changeset"));
  const syncNames = names.filter((name) => name.startsWith("spec-sync-"));
  return Promise.all(syncNames.map((name) => readFile(join(root, ".changeset", name), "utf8")));
}

async function generatedTypes(): Promise<string> {
  return readFile(join(root, "generated", "client-api.ts"), "utf8");
}

async function expectGenerateCheckPasses() {
  const check = await runScript("scripts/generate.ts", ["--check", "--root", root], {});
  expect(check.stderr).toBe("");
  expect(check.exitCode).toBe(0);
}

describe("spec:sync on a change", () => {
  test("added operation is a minor release", async () => {
    const document = await committedSpec();
    document.paths["/challenge/voice"] = structuredClone(document.paths["/challenge/sms"] ?? {});
    (document.paths["/challenge/voice"]?.post ?? {}).operationId = "startVoiceChallenge";

    const run = await sync(await serve(JSON.stringify(document)));

    expect(run.exitCode).toBe(EXIT_CHANGED);
    const [changeset] = await newChangesets();
    expect(changeset).toMatch(/^---\n"authsignal-client-api": minor\n---\n/);
    expect(changeset).toContain("- `POST /challenge/voice`: new operation.");
    expect(await generatedTypes()).toContain('"/challenge/voice": {');
    expect(await readFile(join(root, "generated", "operation-auth.ts"), "utf8")).toContain(
      '"POST /challenge/voice": ["bearer"],',
    );
    expect(await readFile(join(root, "generated", "operations.md"), "utf8")).toContain("`POST /challenge/voice`");
    await expectGenerateCheckPasses();
  });

  test("removed operation is breaking", async () => {
    const document = await committedSpec();
    delete document.paths["/challenge/whatsapp"];

    const run = await sync(await serve(JSON.stringify(document)));

    expect(run.exitCode).toBe(EXIT_CHANGED);
    const [changeset] = await newChangesets();
    // The package is 0.x, where semver lets a minor release break.
    expect(changeset).toMatch(/"authsignal-client-api": minor/);
    expect(changeset).toContain("- `POST /challenge/whatsapp`: removed operation (breaking).");
    expect(await generatedTypes()).not.toContain('"/challenge/whatsapp": {');
    await expectGenerateCheckPasses();
  });

  test("breaking change after 1.0 is major", async () => {
    const packageJsonPath = join(root, "package.json");
    const packageJson = JSON.parse(await readFile(packageJsonPath, "utf8")) as { version: string };
    await writeFile(packageJsonPath, JSON.stringify({ ...packageJson, version: "1.4.2" }, null, 2));
    const document = await committedSpec();
    delete document.paths["/challenge/whatsapp"];

    const run = await sync(await serve(JSON.stringify(document)));

    expect(run.exitCode).toBe(EXIT_CHANGED);
    expect((await newChangesets())[0]).toMatch(/"authsignal-client-api": major/);
  });

  test("new required request field is breaking", async () => {
    const document = await committedSpec();
    const schema = document.components?.schemas?.VerifySmsChallengeRequest as {
      properties: Record<string, unknown>;
      required: string[];
    };
    schema.properties.deviceId = { type: "string" };
    schema.required.push("deviceId");

    const run = await sync(await serve(JSON.stringify(document)));

    expect(run.exitCode).toBe(EXIT_CHANGED);
    const [changeset] = await newChangesets();
    expect(changeset).toContain("- `POST /verify/sms`: new required field `deviceId` in the request body (breaking).");
    expect(await generatedTypes()).toMatch(/VerifySmsChallengeRequest: \{[^}]*deviceId: string;/);
    await expectGenerateCheckPasses();
  });

  test("removed response field follows the classification", async () => {
    const document = await committedSpec();
    const schema = document.components?.schemas?.StartQrCodeChallengeResponse as {
      properties: Record<string, unknown>;
    };
    delete schema.properties.expiresAt;

    const run = await sync(await serve(JSON.stringify(document)));

    expect(run.exitCode).toBe(EXIT_CHANGED);
    const [changeset] = await newChangesets();
    // api-smart-diff counts removing an optional response field as non-breaking.
    expect(changeset).toMatch(/"authsignal-client-api": minor/);
    expect(changeset).toContain("- `POST /challenge/qr-code`: removed field `expiresAt` from the 200 response.");
    expect(await generatedTypes()).not.toMatch(/StartQrCodeChallengeResponse: \{[^}]*expiresAt/);
    await expectGenerateCheckPasses();
  });

  test("description change is a patch", async () => {
    const document = await committedSpec();
    (document.paths["/verify/totp"]?.post ?? {}).description = "Checks the code from the user's authenticator app.";

    const run = await sync(await serve(JSON.stringify(document)));

    expect(run.exitCode).toBe(EXIT_CHANGED);
    const [changeset] = await newChangesets();
    expect(changeset).toMatch(/^---\n"authsignal-client-api": patch\n---\n/);
    expect(changeset).toContain("Update descriptions and examples from the upstream Client API spec");
    expect(changeset).toContain("- `POST /verify/totp`: changed the description.");
    expect(await generatedTypes()).toContain("Checks the code from the user's authenticator app.");
    await expectGenerateCheckPasses();
  });

  test("writes the spec, record and changeset", async () => {
    const document = await committedSpec();
    delete document.paths["/challenge/whatsapp"];
    const url = await serve(JSON.stringify(document));

    const run = await sync(url);

    const specText = await readFile(join(root, "spec", "client-api.json"), "utf8");
    const record = JSON.parse(await readFile(join(root, "spec", "client-api.source.json"), "utf8")) as Record<
      string,
      string
    >;
    const sha256 = createHash("sha256").update(specText).digest("hex");
    expect(run.exitCode).toBe(EXIT_CHANGED);
    expect(specText).toBe(`${JSON.stringify(document, null, 2)}\n`);
    expect(record.origin).toBe("downloaded");
    expect(record.url).toBe(url);
    expect(record.sha256).toBe(sha256);
    expect(await readdir(join(root, ".changeset"))).toContain(`spec-sync-${sha256.slice(0, 12)}.md`);
    expect(run.stdout).toContain("The upstream spec changed: a minor release.");
  });
});

describe("spec:sync without a change", () => {
  test("identical content touches nothing", async () => {
    const before = await snapshotFiles();
    const url = await serve(await readFile(join(root, "spec", "client-api.json"), "utf8"));

    const run = await sync(url);

    expect(run.exitCode).toBe(EXIT_UNCHANGED);
    expect(run.stdout).toContain("The upstream spec is unchanged. Wrote nothing.");
    expect(await snapshotFiles()).toEqual(before);
  });
});

describe("spec:sync on a failure", () => {
  const failures: [string, () => Promise<string>][] = [
    ["refused connection", async () => `http://127.0.0.1:${await findClosedPort()}/client-api.json`],
    ["HTTP 500", () => serve('{"message":"internal"}', 500)],
    ["HTTP 404", () => serve("Not Found", 404, { "Content-Type": "text/plain" })],
    [
      "HTML page",
      () => serve("<!doctype html><title>Sign in to the Wi-Fi</title>", 200, { "Content-Type": "text/html" }),
    ],
    ["invalid JSON", () => serve("{ this is not json")],
    [
      "truncated JSON",
      async () => serve((await readFile(join(root, "spec", "client-api.json"), "utf8")).slice(0, 4_000)),
    ],
    ["OpenAPI 2.0 document", () => serve(JSON.stringify({ swagger: "2.0", paths: {} }))],
    ["document without operations", () => serve(JSON.stringify({ openapi: "3.0.0", info: {}, paths: {} }))],
  ];

  test.each(failures)("%s leaves every file untouched", async (_case, startUpstream) => {
    const before = await snapshotFiles();
    const url = await startUpstream();

    const run = await sync(url);

    expect(run.exitCode).toBe(EXIT_FAILURE);
    expect(run.stderr).toContain("spec:sync failed:");
    expect(run.stderr).toContain("No file was changed.");
    expect(await snapshotFiles()).toEqual(before);
  });

  test("failed write puts every file back", async () => {
    const document = await committedSpec();
    delete document.paths["/challenge/whatsapp"];
    // A file where the changeset folder should be makes the last write fail, after the spec and
    // the generated files were already replaced.
    await rm(join(root, ".changeset"), { recursive: true });
    await writeFile(join(root, ".changeset"), "not a folder");
    const paths = [
      "spec/client-api.json",
      "spec/client-api.source.json",
      ...(await readdir(join(root, "generated"))).map((name) => `generated/${name}`),
    ];
    const before = await Promise.all(paths.map((path) => readFile(join(root, path))));

    const run = await sync(await serve(JSON.stringify(document)));

    expect(run.exitCode).toBe(EXIT_FAILURE);
    expect(run.stderr).toContain("No file was changed.");
    for (const [index, path] of paths.entries()) {
      expect(await readFile(join(root, path)), path).toEqual(before[index]);
    }
    expect(await readdir(join(root, "spec"))).toEqual(["client-api.json", "client-api.source.json"]);
  });

  test("invalid URL is a usage error", async () => {
    const run = await sync("ftp://127.0.0.1/client-api.json");

    expect(run.exitCode).toBe(EXIT_USAGE);
    expect(run.stderr).toContain("must use http or https");
  });
});
