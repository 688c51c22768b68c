// The baselines: the same bytes the simulator answers, served from memory by a tuned bare Express 5 app
// (the floor no Express app can beat) or by raw node:http (the limit of the platform). A POST's JSON
// body is read and parsed, as any app answering it must. Run: baseline-server.ts express|raw PORT ROUTES.json
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import express from 'express';
import type { Route } from './qps.js';

const [kind, port, file] = process.argv.slice(2);
const routes = (JSON.parse(readFileSync(file!, 'utf8')) as Route[]).map((r) => ({ ...r, bytes: Buffer.from(r.body) }));

function rawServer() {
  const table = new Map(routes.map((r) => [`${r.method} ${r.path}`, r]));
  return createServer((req, res) => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const route = table.get(`${req.method} ${query < 0 ? url : url.slice(0, query)}`);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (chunks.length > 0) JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (!route) return res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': route.contentType, 'Content-Length': route.bytes.length });
      res.end(route.bytes);
    });
  });
}

function expressApp() {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  for (const route of routes) {
    const send: express.RequestHandler = (_req, res) => {
      res.set('Content-Type', route.contentType).send(route.bytes);
    };
    if (route.method === 'POST') app.post(route.path, express.json(), send);
    else app.get(route.path, send);
  }
  return app;
}

if (kind === 'raw') rawServer().listen(Number(port), '127.0.0.1');
else expressApp().listen(Number(port), '127.0.0.1');
// An orderly exit, so that node --cpu-prof writes its profile.
process.once('SIGTERM', () => process.exit(0));
