import seedrandom from 'seedrandom';
import { faker as enFaker } from '@faker-js/faker/locale/en';

export type Faker = typeof enFaker;

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

const HEX_CODES = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));
const DASH = '-'.charCodeAt(0);
/** A UUID's 36 character codes, reused from one UUID to the next. */
const UUID_CODES = new Array<number>(36).fill(0);

/** Random draws over any source of floats in [0, 1); methods live on the prototype, so making one is cheap. */
abstract class Draws implements Random {
  abstract next(): number;

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  uuid(): string {
    // The characters are gathered first and made into one string at the end: adding them one by one
    // made a tree of small strings (a rope) that every later lookup by id had to walk to compare.
    const codes = UUID_CODES;
    let at = 0;
    for (let i = 0; i < 32; i++) {
      const digit = i === 12 ? 4 : i === 16 ? 8 + this.int(0, 3) : this.int(0, 15);
      codes[at++] = HEX_CODES[digit] as number;
      if (i === 7 || i === 11 || i === 15 || i === 19) codes[at++] = DASH;
    }
    return String.fromCharCode(...codes);
  }
}

class SourceDraws extends Draws {
  constructor(private readonly source: () => number) {
    super();
  }

  next(): number {
    return this.source();
  }
}

export const randomFrom = (next: () => number): Random => new SourceDraws(next);

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

// One faker for every draw: building one costs far more than the few draws an entity makes. Its
// randomizer reads whichever stream is lent to it for the length of one synchronous call.
let lent: Random | undefined;
let shared: Faker | undefined;

/** Runs `draw` with a faker whose every draw comes from `random`, and returns what it made. */
export function withFaker<T>(random: Random, draw: (faker: Faker) => T): T {
  shared ??= new FakerClass({
    locale: enFaker.rawDefinitions,
    randomizer: { next: () => (lent as Random).next(), seed: () => undefined },
  });
  const previous = lent;
  lent = random;
  try {
    return draw(shared);
  } finally {
    lent = previous;
  }
}

/** A 32-bit hash of a string (FNV-1a, then avalanche-mixed). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return fmix(h) >>> 0;
}

/** murmur3's finalizer, as a signed 32-bit integer (a small integer to the engine: no number is boxed). */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * A cheap stream for the simulation's hot loops (a session's step, an engine's tick): sfc32
 * keyed by integers, so no state has to be kept between draws and making one costs nanoseconds.
 */
export function keyed(seedHash: number, a: number, b = 0, c = 0): Random {
  return new KeyedStream().rekey(seedHash, a, b, c);
}

/**
 * sfc32 with its state in fields (no closure: the simulation makes millions of these). A hot loop
 * may keep one and re-key it for each use instead of making a stream each time: rekey() draws the
 * same as keyed() with the same keys. One kept that way must be used up before it is re-keyed.
 */
export class KeyedStream extends Draws {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 1;

  rekey(seedHash: number, a: number, b = 0, c = 0): this {
    // State kept as signed 32-bit integers, which the engine stores unboxed; an unsigned value above
    // 2^31 would make every field a boxed number. (Only the bits matter to sfc32.)
    this.s0 = fmix(seedHash ^ Math.imul(a + 1, 0x9e3779b1));
    this.s1 = fmix(this.s0 ^ Math.imul(b + 1, 0x85ebca77));
    this.s2 = fmix(this.s1 ^ Math.imul(c + 1, 0xc2b2ae3d));
    this.s3 = 1;
    for (let i = 0; i < 8; i++) this.next();
    return this;
  }

  next(): number {
    const t = (((this.s0 + this.s1) | 0) + this.s3) | 0;
    this.s3 = (this.s3 + 1) | 0;
    this.s0 = this.s1 ^ (this.s1 >>> 9);
    this.s1 = (this.s2 + (this.s2 << 3)) | 0;
    this.s2 = (this.s2 << 21) | (this.s2 >>> 11);
    this.s2 = (this.s2 + t) | 0;
    return (t >>> 0) / 4294967296;
  }
}
