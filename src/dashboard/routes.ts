import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router, type RequestHandler } from 'express';

/** The page's own files: beside this module (src/dashboard from source, dist/dashboard once built). */
const HERE = dirname(fileURLToPath(import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Compiled server code shares the folder once built; it is not the page's. */
const SERVER_FILES = new Set(['routes.js']);

interface Asset {
  type: string;
  body: Buffer;
}

const assetOf = (path: string): Asset => ({
  type: TYPES[extname(path)] ?? 'application/octet-stream',
  body: readFileSync(path),
});

interface Assets {
  page: Asset;
  /** By path under /__sim/ui. */
  files: Map<string, Asset>;
}

let loaded: Assets | undefined;

/**
 * Read once per process, when the first app is built, and kept in memory: the page, its modules and
 * stylesheet, and uPlot's browser build and stylesheet from the installed package (no CDN: it works offline).
 */
function assets(): Assets {
  if (loaded) return loaded;
  const files = new Map<string, Asset>();
  for (const file of readdirSync(HERE)) {
    if ((file.endsWith('.js') || file.endsWith('.css')) && !SERVER_FILES.has(file)) {
      files.set(`/${file}`, assetOf(join(HERE, file)));
    }
  }
  const uplot = dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.esm.js'));
  files.set('/vendor/uPlot.esm.js', assetOf(join(uplot, 'uPlot.esm.js')));
  files.set('/vendor/uPlot.min.css', assetOf(join(uplot, 'uPlot.min.css')));
  loaded = { page: assetOf(join(HERE, 'index.html')), files };
  return loaded;
}

function send(asset: Asset): RequestHandler {
  return (_req, res) => {
    res.status(200).set({ 'Content-Type': asset.type, 'Cache-Control': 'no-cache' }).send(asset.body);
  };
}

/** The dashboard's scripts, stylesheets and uPlot at /__sim/ui/*; anything else falls through. */
export function dashboardRouter(): Router {
  const router = Router({ caseSensitive: true, strict: true });
  for (const [path, asset] of assets().files) router.get(path, send(asset));
  return router;
}

/** GET /__sim/ui (and /__sim/ui/): the page itself, the control API's getDashboard operation. */
export function dashboardPage(): RequestHandler {
  return send(assets().page);
}
