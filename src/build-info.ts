import { readFileSync } from 'node:fs';

export interface BuildInfo {
  name: string;
  version: string;
  /** ISO 8601; when running from source, `development`. */
  date: string;
}

/** The package's version and the build date recorded by `npm run build` (read once at start). */
export function readBuildInfo(): BuildInfo {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    name: string;
    version: string;
  };
  let date = 'development';
  try {
    date = (JSON.parse(readFileSync(new URL('./build-info.json', import.meta.url), 'utf8')) as { date: string }).date;
  } catch {
    // Not built: running from source under tsx.
  }
  return { name: pkg.name, version: pkg.version, date };
}
