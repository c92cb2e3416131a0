import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { compareOperations } from "../../scripts/lib/compare-operations.js";
import type { OpenApiDocument } from "../../scripts/lib/openapi.js";
import { REPOSITORY_ROOT } from "../../scripts/lib/paths.js";

/** Upper bound for one child process, well below the test timeout so a hang fails with output. */
const CHILD_PROCESS_LIMIT_MS = 20_000;

/** An mtime far in the past, so that any write to a fixture file changes it visibly. */
const FIXTURE_MTIME = new Date("2020-01-01T00:00:00Z");

const PREVIOUS_SPEC: OpenApiDocument = {
  openapi: "3.0.0",
  info: { title: "Client API", version: "1.0.0" },
  paths: {
    "/challenge/email-otp": {
      post: {
        summary: "Send an email OTP",
        requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/ChallengeRequest" } } } },
        responses: { "200": { description: "Sent" } },
      },
    },
    "/verify/email-otp": {
      post: { summary: "Verify an email OTP", responses: { "200": { description: "Verified" } } },
    },
    "/authenticators": {
      get: {
        summary: "List authenticators",
        responses: {
          "200": {
            description: "Authenticators",
            content: { "application/json": { schema: { $ref: "#/components/schemas/AuthenticatorList" } } },
          },
        },
      },
    },
    "/authenticators/{id}": {
      delete: { summary: "Remove an authenticator", responses: { "200": { description: "Removed" } } },
    },
  },
  components: {
    schemas: {
      ChallengeRequest: { type: "object", properties: { email: { type: "string" } } },
      AuthenticatorList: { type: "array", items: { $ref: "#/components/schemas/Authenticator" } },
      Authenticator: { type: "object", properties: { id: { type: "string" } } },
    },
  },
};

/**
 * PREVIOUS_SPEC with `POST /challenge/sms` added, `DELETE /authenticators/{id}` removed,
 * `POST /verify/email-otp` edited directly and `GET /authenticators` changed only through the
 * `Authenticator` schema that it reaches through `AuthenticatorList`.
 */
const NEXT_SPEC: OpenApiDocument = {
  openapi: "3.0.0",
  info: { title: "Client API", version: "1.0.0" },
  paths: {
    "/challenge/email-otp": PREVIOUS_SPEC.paths["/challenge/email-otp"] ?? {},
    "/verify/email-otp": {
      post: { summary: "Verify an email OTP code", responses: { "200": { description: "Verified" } } },
    },
    "/authenticators": PREVIOUS_SPEC.paths["/authenticators"] ?? {},
    "/challenge/sms": {
      post: { summary: "Send an SMS OTP", responses: { "200": { description: "Sent" } } },
    },
  },
  components: {
    schemas: {
      ChallengeRequest: { type: "object", properties: { email: { type: "string" } } },
      AuthenticatorList: { type: "array", items: { $ref: "#/components/schemas/Authenticator" } },
      Authenticator: { type: "object", properties: { id: { type: "string" }, verified: { type: "boolean" } } },
    },
  },
};

const PREVIOUS_RECORD = {
  url: "http://127.0.0.1:1/client-api.json",
  origin: "handwritten",
  recordedAt: "2020-01-01T00:00:00.000Z",
  sha256: sha256(canonicalJson(PREVIOUS_SPEC)),
  note: "Fixture written by the test.",
};

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

function sha256(content: string | Uint8Array): string {
  return createHash("sha256").update(content).digest("hex");
}

interface ScriptResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a script from `scripts/` in a child process with AUTHSIGNAL_SPEC_URL set to `specUrl`. */
function runScript(script: string, args: string[], specUrl: string): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join("scripts", script), ...args], {
      cwd: REPOSITORY_ROOT,
      env: { ...process.env, AUTHSIGNAL_SPEC_URL: specUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });

    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));

    const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_PROCESS_LIMIT_MS);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
  });
}

function runDownload(specPath: string, specUrl: string, extraArgs: string[] = []): Promise<ScriptResult> {
  return runScript("download-spec.ts", ["--spec", specPath, ...extraArgs], specUrl);
}

interface TestServer {
  /** `http://127.0.0.1:<port>/client-api.json` */
  url: string;
  requests: IncomingMessage[];
}

const openServers: Server[] = [];

/** Starts an HTTP server on a free loopback port. afterEach closes it. */
async function startServer(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<TestServer> {
  const requests: IncomingMessage[] = [];
  const server = createServer((request, response) => {
    requests.push(request);
    handler(request, response);
  });
  openServers.push(server);

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/client-api.json`, requests };
}

async function closeServer(server: Server): Promise<void> {
  // Drops connections that a handler never responded to, such as the one in the timeout test.
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/** Returns a loopback URL whose port was open a moment ago and is now closed, so connecting is refused. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await closeServer(server);
  return `http://127.0.0.1:${port}/client-api.json`;
}

function serveText(status: number, contentType: string, body: string) {
  return (_request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(status, { "content-type": contentType });
    response.end(body);
  };
}

function serveJson(value: unknown, status = 200) {
  return serveText(status, "application/json", JSON.stringify(value));
}

interface FileSnapshot {
  specBytes: Buffer;
  recordBytes: Buffer;
  specMtimeMs: number;
  recordMtimeMs: number;
  folderEntries: string[];
}

let folder: string;
let specPath: string;
let recordPath: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "spec-download-test-"));
  specPath = join(folder, "client-api.json");
  recordPath = join(folder, "client-api.source.json");

  await writeFile(specPath, canonicalJson(PREVIOUS_SPEC));
  await writeFile(recordPath, canonicalJson(PREVIOUS_RECORD));
  await utimes(specPath, FIXTURE_MTIME, FIXTURE_MTIME);
  await utimes(recordPath, FIXTURE_MTIME, FIXTURE_MTIME);
});

afterEach(async () => {
  await Promise.all(openServers.splice(0).map(closeServer));
  await rm(folder, { recursive: true, force: true });
});

async function snapshotFiles(): Promise<FileSnapshot> {
  return {
    specBytes: await readFile(specPath),
    recordBytes: await readFile(recordPath),
    specMtimeMs: (await stat(specPath)).mtimeMs,
    recordMtimeMs: (await stat(recordPath)).mtimeMs,
    folderEntries: (await readdir(folder)).sort(),
  };
}

/** Asserts that the spec and record kept their fixture bytes and mtimes, and no temporary file is left. */
async function expectFilesUntouched(): Promise<void> {
  const snapshot = await snapshotFiles();
  expect(sha256(snapshot.specBytes)).toBe(sha256(canonicalJson(PREVIOUS_SPEC)));
  expect(sha256(snapshot.recordBytes)).toBe(sha256(canonicalJson(PREVIOUS_RECORD)));
  expect(snapshot.specMtimeMs).toBe(FIXTURE_MTIME.getTime());
  expect(snapshot.recordMtimeMs).toBe(FIXTURE_MTIME.getTime());
  expect(snapshot.folderEntries).toEqual(["client-api.json", "client-api.source.json"]);
}

/** Asserts a failed run: exit status 1, the expected message on stderr, and both files untouched. */
async function expectFailure(result: ScriptResult, messagePattern: RegExp): Promise<void> {
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toMatch(/^spec:download failed: /m);
  expect(result.stderr).toMatch(messagePattern);
  expect(result.stderr).toContain("and its record unchanged.");
  await expectFilesUntouched();
}

describe("spec:download", () => {
  it("writes the new spec and lists changes", async () => {
    const server = await startServer(serveJson(NEXT_SPEC));

    const result = await runDownload(specPath, server.url);

    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("Added 1 operation:\n  + POST /challenge/sms\n");
    expect(result.stdout).toContain("Removed 1 operation:\n  - DELETE /authenticators/{id}\n");
    expect(result.stdout).toContain("Changed 2 operations:\n  ~ POST /verify/email-otp\n  ~ GET /authenticators\n");
    expect(result.stdout).not.toContain("POST /challenge/email-otp");
    expect(result.stdout).toContain("Top-level fields that changed: components\n");

    const expectedContent = canonicalJson(NEXT_SPEC);
    expect(await readFile(specPath, "utf8")).toBe(expectedContent);
    expect(result.stdout).toContain(`sha256 ${sha256(expectedContent)}`);

    const record: unknown = JSON.parse(await readFile(recordPath, "utf8"));
    expect(record).toEqual({
      url: server.url,
      origin: "downloaded",
      recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      sha256: sha256(expectedContent),
    });
    expect(await readFile(recordPath, "utf8")).toBe(canonicalJson(record));

    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.method).toBe("GET");
    expect(server.requests[0]?.headers.accept).toBe("application/json");
    expect((await readdir(folder)).sort()).toEqual(["client-api.json", "client-api.source.json"]);
  });

  it("leaves identical content untouched", async () => {
    // Compact JSON that formats to exactly the fixture's bytes.
    const server = await startServer(serveJson(PREVIOUS_SPEC));

    const result = await runDownload(specPath, server.url);

    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("The spec is unchanged");
    expect(result.stdout).toContain("Wrote nothing.");
    expect(server.requests).toHaveLength(1);
    await expectFilesUntouched();
  });

  it("creates a missing spec and record", async () => {
    await rm(specPath);
    await rm(recordPath);
    const server = await startServer(serveJson(NEXT_SPEC));

    const result = await runDownload(specPath, server.url);

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("so all 4 operations are new");
    expect(await readFile(specPath, "utf8")).toBe(canonicalJson(NEXT_SPEC));
    const record = JSON.parse(await readFile(recordPath, "utf8")) as { sha256: string };
    expect(record.sha256).toBe(sha256(canonicalJson(NEXT_SPEC)));
  });

  it("reports a refused connection", async () => {
    const url = await closedPortUrl();

    const result = await runDownload(specPath, url);

    await expectFailure(
      result,
      /Could not download http:\/\/127\.0\.0\.1:\d+\/client-api\.json: the connection to 127\.0\.0\.1:\d+ was refused/,
    );
  });

  it.each([
    [500, "Internal Server Error", /The server failed, so try again later\./],
    [404, "Not Found", /Check that AUTHSIGNAL_SPEC_URL points at the Client API's OpenAPI document\./],
  ])("reports HTTP %i", async (status, statusText, advice) => {
    const server = await startServer(serveText(status, "text/plain", `failure body ${status}`));

    const result = await runDownload(specPath, server.url);

    await expectFailure(result, new RegExp(`The server responded HTTP ${status} ${statusText} for ${server.url}\\.`));
    expect(result.stderr).toMatch(advice);
    expect(result.stderr).toContain(`Start of the response body: "failure body ${status}"`);
  });

  it("rejects HTML served with status 200", async () => {
    const page = `<!DOCTYPE html><html><body>${"Please sign in to the network. ".repeat(200)}END-OF-PAGE</body></html>`;
    const server = await startServer(serveText(200, "text/html; charset=utf-8", page));

    const result = await runDownload(specPath, server.url);

    await expectFailure(result, /Expected JSON but received HTML \(Content-Type: text\/html; charset=utf-8\)/);
    expect(result.stderr).toContain('Start of the response: "<!DOCTYPE html><html><body>Please sign in');
    expect(result.stderr).toMatch(/… \[cut, \d+ characters in total\]/);
    expect(result.stderr).not.toContain("END-OF-PAGE");
  });

  it("rejects invalid JSON", async () => {
    const server = await startServer(serveText(200, "application/json", '{"openapi": "3.0.0", paths: {}}'));

    const result = await runDownload(specPath, server.url);

    await expectFailure(result, /is not valid JSON \(Content-Type: application\/json\)/);
  });

  it("rejects half a JSON document", async () => {
    const fullText = JSON.stringify(NEXT_SPEC);
    const server = await startServer(serveText(200, "application/json", fullText.slice(0, fullText.length / 2)));

    const result = await runDownload(specPath, server.url);

    await expectFailure(result, /ends before the JSON document is complete/);
  });

  it("rejects a body shorter than Content-Length", async () => {
    const fullText = JSON.stringify(NEXT_SPEC);
    const sentText = fullText.slice(0, 100);
    const server = await startServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": String(fullText.length) });
      // Flushes part of the body, then destroys the socket before the announced length is reached.
      response.write(sentText, () => response.destroy());
    });

    const result = await runDownload(specPath, server.url);

    await expectFailure(result, /closed after \d+ bytes of the response \(Content-Length announced \d+ bytes\)/);
    expect(result.stderr).toContain(`Content-Length announced ${fullText.length} bytes`);
  });

  it("rejects an empty JSON object", async () => {
    const server = await startServer(serveJson({}));

    const result = await runDownload(specPath, server.url);

    await expectFailure(result, /is JSON but not a usable OpenAPI 3\.x document: the "openapi" field is missing/);
  });

  it("rejects an OpenAPI 2.0 document", async () => {
    const server = await startServer(serveJson({ ...NEXT_SPEC, openapi: "2.0" }));

    const result = await runDownload(specPath, server.url);

    await expectFailure(result, /"openapi" is "2\.0", but an OpenAPI 3\.x version such as "3\.0\.0" is expected/);
  });

  it("rejects a top-level array", async () => {
    const server = await startServer(serveJson([NEXT_SPEC]));

    const result = await runDownload(specPath, server.url);

    await expectFailure(result, /expected a JSON object at the top level but found an array/);
  });

  it("rejects a document without paths", async () => {
    const { paths: _paths, ...withoutPaths } = NEXT_SPEC;
    const server = await startServer(serveJson(withoutPaths));

    const result = await runDownload(specPath, server.url);

    await expectFailure(result, /"paths" is missing, but an object of path items is expected/);
  });

  it("rejects paths without operations", async () => {
    const server = await startServer(serveJson({ ...NEXT_SPEC, paths: { "/challenge/sms": { parameters: [] } } }));

    const result = await runDownload(specPath, server.url);

    await expectFailure(result, /"paths" contains no operations/);
  });

  it("times out on a silent server", async () => {
    // The handler never responds, so only the client's timeout ends the request.
    const server = await startServer(() => undefined);

    const startedAt = Date.now();
    const result = await runDownload(specPath, server.url, ["--timeout-ms", "500"]);

    await expectFailure(result, /Downloading http:\/\/127\.0\.0\.1:\d+\/client-api\.json timed out after 500 ms\./);
    expect(server.requests).toHaveLength(1);
    expect(Date.now() - startedAt).toBeLessThan(CHILD_PROCESS_LIMIT_MS);
  });

  it.each([
    ["has no scheme", (port: string) => `127.0.0.1:${port}/client-api.json`, /is not a valid URL/],
    [
      "uses ftp",
      (port: string) => `ftp://127.0.0.1:${port}/client-api.json`,
      /must use http or https, but .* uses ftp\./,
    ],
  ])("rejects a spec URL that %s", async (_case, buildUrl, messagePattern) => {
    const server = await startServer(serveJson(NEXT_SPEC));
    const port = new URL(server.url).port;

    const result = await runDownload(specPath, buildUrl(port));

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(messagePattern);
    expect(result.stderr).toContain("Set it to an http:// or https:// URL, or unset it");
    expect(server.requests).toHaveLength(0);
    await expectFilesUntouched();
  });

  it.each(["0", "-5", "1.5", "abc", "2147483648"])("rejects --timeout-ms %s", async (value) => {
    const server = await startServer(serveJson(NEXT_SPEC));

    const result = await runDownload(specPath, server.url, [`--timeout-ms=${value}`]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      `--timeout-ms must be a whole number of milliseconds from 1 to 2147483647, but is "${value}".`,
    );
    expect(server.requests).toHaveLength(0);
    await expectFilesUntouched();
  });

  it("rejects an unknown option", async () => {
    const server = await startServer(serveJson(NEXT_SPEC));

    const result = await runDownload(specPath, server.url, ["--force"]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("--force");
    expect(result.stderr).toContain("Run with --help for usage.");
    expect(server.requests).toHaveLength(0);
    await expectFilesUntouched();
  });

  it("prints usage for --help", async () => {
    const server = await startServer(serveJson(NEXT_SPEC));

    const result = await runDownload(specPath, server.url, ["--help"]);

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("Usage: npm run spec:download");
    expect(result.stdout).toContain("--timeout-ms <ms>");
    expect(server.requests).toHaveLength(0);
    await expectFilesUntouched();
  });
});

describe("spec:record", () => {
  it("rejects a non-canonical spec", async () => {
    await writeFile(specPath, JSON.stringify(PREVIOUS_SPEC));
    await utimes(specPath, FIXTURE_MTIME, FIXTURE_MTIME);
    const specBytesBefore = await readFile(specPath);
    const server = await startServer(serveJson(NEXT_SPEC));

    const result = await runScript("record-spec.ts", ["--spec", specPath, "--note", "Edited by hand."], server.url);

    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`The spec ${specPath} is not in canonical form: line 1 differs`);
    expect(await readFile(specPath)).toEqual(specBytesBefore);
    expect(sha256(await readFile(recordPath))).toBe(sha256(canonicalJson(PREVIOUS_RECORD)));
    expect(server.requests).toHaveLength(0);
  });

  it("rejects a spec that is not OpenAPI 3.x", async () => {
    await writeFile(specPath, canonicalJson({ swagger: "2.0", paths: {} }));
    const server = await startServer(serveJson(NEXT_SPEC));

    const result = await runScript("record-spec.ts", ["--spec", specPath], server.url);

    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`The spec ${specPath} is not a usable OpenAPI 3.x document`);
    expect(sha256(await readFile(recordPath))).toBe(sha256(canonicalJson(PREVIOUS_RECORD)));
  });

  it("records the hash of a canonical spec", async () => {
    const content = canonicalJson(NEXT_SPEC);
    await writeFile(specPath, content);
    const server = await startServer(serveJson(NEXT_SPEC));

    const result = await runScript("record-spec.ts", ["--spec", specPath, "--note", "Edited by hand."], server.url);

    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    const record: unknown = JSON.parse(await readFile(recordPath, "utf8"));
    expect(record).toEqual({
      url: server.url,
      origin: "handwritten",
      recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      sha256: sha256(content),
      note: "Edited by hand.",
    });
    expect(await readFile(specPath, "utf8")).toBe(content);
    expect(server.requests).toHaveLength(0);
  });
});

describe("compareOperations", () => {
  it("lists added, removed and changed operations", () => {
    const changes = compareOperations(PREVIOUS_SPEC, NEXT_SPEC);

    expect(changes.added).toEqual(["POST /challenge/sms"]);
    expect(changes.removed).toEqual(["DELETE /authenticators/{id}"]);
    expect(changes.changed).toEqual(["POST /verify/email-otp", "GET /authenticators"]);
    expect(changes.changedTopLevelFields).toEqual(["components"]);
  });

  it("ignores unreferenced component changes", () => {
    const next = structuredClone(PREVIOUS_SPEC);
    next.components = { ...next.components, schemas: { ...next.components?.schemas, Unused: { type: "string" } } };

    const changes = compareOperations(PREVIOUS_SPEC, next);

    expect(changes.changed).toEqual([]);
    expect(changes.changedTopLevelFields).toEqual(["components"]);
  });

  it("marks operations changed by path-level parameters", () => {
    const next = structuredClone(PREVIOUS_SPEC);
    const pathItem = next.paths["/authenticators/{id}"];
    if (pathItem === undefined) throw new Error("fixture lacks /authenticators/{id}");
    pathItem["parameters"] = [{ name: "id", in: "path", required: true, schema: { type: "string" } }];

    const changes = compareOperations(PREVIOUS_SPEC, next);

    expect(changes.changed).toEqual(["DELETE /authenticators/{id}"]);
    expect(changes.changedTopLevelFields).toEqual([]);
  });

  it("follows recursive references", () => {
    const recursive = (extraField: boolean): OpenApiDocument => ({
      openapi: "3.0.0",
      paths: {
        "/tree": { get: { responses: { "200": { $ref: "#/components/responses/Tree" } } } },
      },
      components: {
        responses: {
          Tree: {
            description: "A tree",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Node" } } },
          },
        },
        schemas: {
          Node: {
            type: "object",
            properties: {
              children: { type: "array", items: { $ref: "#/components/schemas/Node" } },
              ...(extraField ? { label: { type: "string" } } : {}),
            },
          },
        },
      },
    });

    expect(compareOperations(recursive(false), recursive(false)).changed).toEqual([]);
    expect(compareOperations(recursive(false), recursive(true)).changed).toEqual(["GET /tree"]);
  });
});
