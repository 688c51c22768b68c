// Build step after tsc: the OpenAPI documents and the dashboard's page, scripts and stylesheet go beside the
// compiled code, and the build date is recorded.
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

mkdirSync('dist/openapi', { recursive: true });
// Each document as shipped (served as is), and parsed once here as JSON (read at start-up instead).
for (const file of readdirSync('src/openapi').filter((f) => f.endsWith('.yaml'))) {
  copyFileSync(`src/openapi/${file}`, `dist/openapi/${file}`);
  const json = JSON.stringify(parse(readFileSync(`src/openapi/${file}`, 'utf8')));
  writeFileSync(`dist/openapi/${file.replace(/\.yaml$/, '.json')}`, json);
}
mkdirSync('dist/dashboard', { recursive: true });
for (const file of readdirSync('src/dashboard').filter((f) => /\.(html|js|css)$/.test(f))) {
  copyFileSync(`src/dashboard/${file}`, `dist/dashboard/${file}`);
}
writeFileSync('dist/build-info.json', `${JSON.stringify({ date: new Date().toISOString() })}\n`);
chmodSync('dist/cli/main.js', 0o755);
