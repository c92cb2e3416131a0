// A node:http server on 127.0.0.1 for fault tests. Each request names its case in the
// `x-test-case` header, and the server handles it with that case's behaviour, such as a broken
// body, a reset socket or no response at all. It keeps every request it received, grouped by
// case, so that a test can count the client's attempts.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** The request header that names the case. The part before the first `:` picks the behaviour. */
export const CASE_HEADER = "x-test-case";

/** A request as the server received it. */
export interface ReceivedRequest {
  method: string;
  /** Path and query, such as `/authenticators`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The whole request body as UTF-8 text, `""` when there is none. */
  body: string;
  /** 1 for the first request of a case, 2 for the next one, and so on. */
  attempt: number;
}

/** Handles one request. It may write a response, break the socket or do nothing at all. */
export type Behaviour = (response: ServerResponse, request: ReceivedRequest) => void;

export interface HostileServer {
  /** Base URL such as `http://127.0.0.1:41234`, with no trailing slash. */
  url: string;
  port: number;
  /** The requests received for one case, oldest first. A request without the header counts under `""`. */
  requestsFor(caseName: string): ReceivedRequest[];
  /** Every request received, in order. */
  allRequests(): ReceivedRequest[];
  /** Destroys every open socket, so that a request left hanging cannot keep the process alive, and closes the server. */
  close(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1. `behaviours` maps a behaviour name to its handler, and the key
 * `"*"` handles requests whose name has no entry. A case named `html-502:get` uses the behaviour
 * `html-502` while its requests are counted apart from those of `html-502:post`. A request with no
 * matching behaviour gets a 501 whose text names the case. `port` defaults to 0, a free port.
 */
export async function startHostileServer(
  behaviours: Record<string, Behaviour>,
  options: { port?: number } = {},
): Promise<HostileServer> {
  const received = new Map<string, ReceivedRequest[]>();
  const log: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      // The client went away before it finished sending the request, so no response is needed.
      if (body === undefined) return;

      const caseName = headerValue(request.headers[CASE_HEADER]);
      const requests = received.get(caseName) ?? [];
      received.set(caseName, requests);

      const entry: ReceivedRequest = {
        method: request.method ?? "",
        path: request.url ?? "",
        headers: request.headers,
        body,
        attempt: requests.length + 1,
      };
      requests.push(entry);
      log.push(entry);

      const behaviourName = caseName.split(":")[0] ?? "";
      const behaviour = behaviours[behaviourName] ?? behaviours["*"];
      if (behaviour === undefined) {
        response.writeHead(501, { "Content-Type": "text/plain" });
        response.end(`The test server has no behaviour for the case "${caseName}".`);
        return;
      }

      behaviour(response, entry);
    });
  });

  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requestsFor: (caseName) => received.get(caseName) ?? [],
    allRequests: () => [...log],
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/**
 * Returns a loopback port on which nothing listens, by binding a free port and closing it again.
 * Another process could take the port in between, which is unlikely in a test run.
 */
export async function findClosedPort(): Promise<number> {
  const server = await startHostileServer({});
  await server.close();
  return server.port;
}

/** Reads the whole request body, or returns `undefined` when the request fails before its end. */
function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", () => resolve(undefined));
  });
}

function headerValue(value: string | string[] | undefined): string {
  if (Array.isArray(value)) return value.join(",");
  return value ?? "";
}
