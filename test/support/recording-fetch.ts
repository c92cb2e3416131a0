/** A `fetch` stand-in that records each request and returns the same JSON response to every one. */
export function createRecordingFetch(body: unknown = {}, status = 200) {
  const requests: Request[] = [];

  async function fetch(request: Request): Promise<Response> {
    requests.push(request);
    return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  }

  return { fetch, requests };
}
