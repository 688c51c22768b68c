import { request as httpRequest } from 'node:http';

export interface Reply {
  status: number;
  contentType: string;
  body: string;
}

/** One request over node:http (cheaper to start than fetch, which matters when timing a start-up). */
export function request(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: res.headers['content-type'] ?? '',
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Polls `url` until it answers 200 (connection refused and other statuses are retried); resolves with the reply. */
export async function waitFor200(
  url: string,
  headers: Record<string, string> = {},
  timeoutMs = 30_000,
  pauseMs = 2,
): Promise<Reply> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const reply = await request(url, { headers }).catch(() => undefined);
    if (reply?.status === 200) return reply;
    if (performance.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, pauseMs));
  }
}
