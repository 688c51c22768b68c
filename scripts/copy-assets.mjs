// Build step after tsc: the OpenAPI documents and the dashboard's page, scripts and stylesheet go beside the
// compiled code, and the build date is recorded.
import { chmodSync, copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';

mkdirSync('dist/openapi', { recursive: true });
for (const file of readdirSync('src/openapi').filter((f) => f.endsWith('.yaml'))) {
  copyFileSync(`src/openapi/${file}`, `dist/openapi/${file}`);
}
mkdirSync('dist/dashboard', { recursive: true });
for (const file of readdirSync('src/dashboard').filter((f) => /\.(html|js|css)$/.test(f))) {
  copyFileSync(`src/dashboard/${file}`, `dist/dashboard/${file}`);
}
writeFileSync('dist/build-info.json', `${JSON.stringify({ date: new Date().toISOString() })}\n`);
chmodSync('dist/cli/main.js', 0o755);
