import { fakerFor, stream } from './rng.js';

export interface App {
  id: string;
  name: string;
  /** Memory the app takes on an engine once loaded. */
  sizeMb: number;
  /** Relative chance that a user opens it (a few apps are far more popular than the rest). */
  popularity: number;
}

const KINDS = [
  'Sales Dashboard',
  'Finance Overview',
  'HR Analytics',
  'Supply Chain',
  'Customer 360',
  'Marketing Funnel',
];

/** App number `index` of a seeded catalogue: its own stream, like users. */
export function generateApp(seed: string, index: number): App {
  const random = stream(seed, `app/${index}`);
  const faker = fakerFor(random);
  return {
    id: random.uuid(),
    name: `${faker.commerce.productAdjective()} ${random.pick(KINDS)}`,
    sizeMb: random.int(2, 30) * 100,
    popularity: Math.round(1000 / (index + 1)) / 1000,
  };
}

export const generateApps = (seed: string, count: number): App[] =>
  Array.from({ length: count }, (_, index) => generateApp(seed, index));

/** Picks an app with chance proportional to its popularity. */
export function pickByPopularity(apps: readonly App[], draw: number): App | undefined {
  const total = apps.reduce((sum, app) => sum + app.popularity, 0);
  let left = draw * total;
  for (const app of apps) {
    left -= app.popularity;
    if (left < 0) return app;
  }
  return apps[apps.length - 1];
}
