import seedrandom from 'seedrandom';
import { faker as enFaker } from '@faker-js/faker/locale/en';

type Faker = typeof enFaker;

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  /** A version 4 UUID drawn from this stream. */
  uuid(): string;
}

export function randomFrom(next: () => number): Random {
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick(items) {
      if (items.length === 0) throw new RangeError('pick() from an empty list');
      return items[int(0, items.length - 1)] as (typeof items)[number];
    },
    chance: (probability) => next() < probability,
    uuid() {
      const hex = Array.from({ length: 32 }, () => int(0, 15).toString(16));
      hex[12] = '4';
      hex[16] = (8 + int(0, 3)).toString(16);
      const s = hex.join('');
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    },
  };
}

/** One independent stream per (seed, key): the order of unrelated draws never matters. */
export function stream(seed: string, key: string): Random {
  return randomFrom(seedrandom(`${seed}\u0000${key}`));
}

// The locale entry point is used rather than the package root, which loads every locale
// (about 80 ms more at start-up); its constructor builds fakers over our own randomizer.
const FakerClass = enFaker.constructor as new (options: {
  locale: Faker['rawDefinitions'];
  randomizer: { next(): number; seed(seed: number | number[]): void };
}) => Faker;

/** A faker whose every draw comes from the given stream. */
export function fakerFor(random: Random): Faker {
  return new FakerClass({
    locale: enFaker.rawDefinitions,
    randomizer: { next: random.next, seed: () => undefined },
  });
}

/** A 32-bit hash of a string (FNV-1a, then avalanche-mixed). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return fmix(h);
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A cheap stream for the simulation's hot loops (a session's step, an engine's tick): sfc32
 * keyed by integers, so no state has to be kept between draws and making one costs nanoseconds.
 */
export function keyed(seedHash: number, a: number, b = 0, c = 0): Random {
  let s0 = fmix(seedHash ^ Math.imul(a + 1, 0x9e3779b1));
  let s1 = fmix(s0 ^ Math.imul(b + 1, 0x85ebca77));
  let s2 = fmix(s1 ^ Math.imul(c + 1, 0xc2b2ae3d));
  let s3 = 1;
  const next = () => {
    const t = (((s0 + s1) | 0) + s3) | 0;
    s3 = (s3 + 1) | 0;
    s0 = s1 ^ (s1 >>> 9);
    s1 = (s2 + (s2 << 3)) | 0;
    s2 = (s2 << 21) | (s2 >>> 11);
    s2 = (s2 + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 8; i++) next();
  return randomFrom(next);
}
