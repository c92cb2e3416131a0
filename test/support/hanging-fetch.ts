/**
 * Creates a `fetch` stand-in that never responds: each request stays pending until its signal aborts,
 * and then rejects with the signal's reason, as the platform's `fetch` does.
 */
export function createHangingFetch() {
  const requests: Request[] = [];

  function fetch(request: Request): Promise<Response> {
    requests.push(request);

    return new Promise((_resolve, reject) => {
      if (request.signal.aborted) reject(request.signal.reason);
      request.signal.addEventListener("abort", () => reject(request.signal.reason), { once: true });
    });
  }

  return { fetch, requests };
}
