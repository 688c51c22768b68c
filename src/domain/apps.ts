import { stream, withFaker } from './rng.js';

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
  return withFaker(random, (faker) => ({
    id: random.uuid(),
    name: `${faker.commerce.productAdjective()} ${random.pick(KINDS)}`,
    sizeMb: random.int(2, 30) * 100,
    popularity: Math.round(1000 / (index + 1)) / 1000,
  }));
}

export const generateApps = (seed: string, count: number): App[] =>
  Array.from({ length: count }, (_, index) => generateApp(seed, index));

/** A picker over a fixed catalogue: an app with chance proportional to its popularity (weights summed once). */
export function popularityPicker(apps: readonly App[]): (draw: number) => App | undefined {
  const cumulative: number[] = [];
  let total = 0;
  for (const app of apps) cumulative.push((total += app.popularity));
  return (draw) => {
    const target = draw * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((cumulative[mid] ?? 0) > target) high = mid;
      else low = mid + 1;
    }
    return apps[low];
  };
}
