import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";

import { SPEC_PATH } from "./paths.js";

/** A running Prism mock server started by `startPrism`. */
export interface PrismServer {
  /** Base URL of the mock, such as `http://127.0.0.1:41234`. Client API paths go straight after it. */
  url: string;
  /** Stops this Prism process and waits until it has exited. */
  stop(): Promise<void>;
}

export interface StartPrismOptions {
  /** OpenAPI document to mock. Defaults to the committed `spec/client-api.json`. */
  specPath?: string;
  /** How long to wait for Prism to start listening, in milliseconds. */
  startTimeoutMs?: number;
}

// Prism takes about two seconds to start on a two-core machine. The bound leaves room for a slow
// CI runner and still fails a test run that would otherwise hang.
const DEFAULT_START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

const LISTENING_LINE = /Prism is listening on (http:\/\/127\.0\.0\.1:\d+)/;
// Prism colours its log lines; the escape codes are removed before the line is matched.
const ANSI_ESCAPE = /\x1b\[[0-9;]*m/g;

/**
 * Starts Prism's mock server for a spec on 127.0.0.1. Prism binds port 0, so the operating system
 * picks a free port, and the URL is read from the line Prism prints once it is listening.
 */
export async function startPrism(options: StartPrismOptions = {}): Promise<PrismServer> {
  const specPath = options.specPath ?? SPEC_PATH;
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;

  const prismCli = createRequire(import.meta.url).resolve("@stoplight/prism-cli/dist/index.js");
  const child = spawn(process.execPath, [prismCli, "mock", specPath, "--host", "127.0.0.1", "--port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });

  const url = await waitForListening(child, startTimeoutMs).catch(async (error: unknown) => {
    await stopProcess(child);
    throw error;
  });

  return { url, stop: () => stopProcess(child) };
}

function waitForListening(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";

    const timer = setTimeout(() => {
      finish(new Error(`Prism did not start listening within ${timeoutMs} ms. Its output was:\n${output}`));
    }, timeoutMs);

    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8").replace(ANSI_ESCAPE, "");
      const match = LISTENING_LINE.exec(output);
      if (match?.[1] !== undefined) finish(undefined, match[1]);
    };

    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      finish(
        new Error(
          `Prism exited before it was listening (exit code ${code}, signal ${signal}). Its output was:\n${output}`,
        ),
      );
    };

    const onError = (error: Error) =>
      finish(new Error(`Prism could not be started: ${error.message}`, { cause: error }));

    function finish(error: Error | undefined, url?: string) {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.stderr?.off("data", onData);
      child.off("exit", onExit);
      child.off("error", onError);

      // Keep draining the pipes so that Prism does not stall writing to a full one.
      child.stdout?.resume();
      child.stderr?.resume();

      if (error !== undefined) reject(error);
      else resolve(url as string);
    }

    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
    child.once("error", onError);
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;

  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");

  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
