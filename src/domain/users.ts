import { stream, withFaker, type Faker, type Random } from './rng.js';

/** A name-value pair; a name may repeat (two groups are two pairs). */
export type Attribute = readonly [name: string, value: string];

export interface User {
  userDirectory: string;
  userId: string;
  name: string;
  attributes: Attribute[];
}

/** Qlik matches user directories and user ids without regard to case. */
export const userKey = (userDirectory: string, userId: string): string =>
  `${userDirectory.toLowerCase()}\\${userId.toLowerCase()}`;

const GROUPS = [
  'Sales',
  'Finance',
  'Marketing',
  'HR',
  'IT',
  'Operations',
  'Support',
  'Legal',
  'Engineering',
  'Procurement',
];
const ROLES = ['Analyzer', 'Analyzer', 'Analyzer', 'Professional', 'Professional', 'ContentAdmin'];

export function generateDirectories(seed: string, count: number): string[] {
  return withFaker(stream(seed, 'directories'), (faker) => {
    const names = new Set<string>();
    while (names.size < count) {
      const word = faker.company
        .name()
        .replace(/[^A-Za-z]+.*$/, '')
        .toUpperCase();
      names.add(word.length >= 3 ? word : `${word}${names.size}`);
    }
    return [...names];
  });
}

/** User number `index` of a seeded site: its own stream, so adding users never changes earlier ones. */
export function generateUser(seed: string, index: number, directories: readonly string[]): User {
  const random = stream(seed, `user/${index}`);
  return withFaker(random, (faker) => userFrom(faker, random, directories));
}

function userFrom(faker: Faker, random: Random, directories: readonly string[]): User {
  const firstName = faker.person.firstName();
  const lastName = faker.person.lastName();
  const handle = `${firstName}.${lastName}`.toLowerCase().replace(/[^a-z0-9.]/g, '');
  const groups = faker.helpers.arrayElements(GROUPS, random.int(1, 2));
  return {
    userDirectory: random.pick(directories),
    userId: handle,
    name: `${firstName} ${lastName}`,
    attributes: [
      ['email', faker.internet.email({ firstName, lastName }).toLowerCase()],
      ...groups.map((group): Attribute => ['group', group]),
      ['role', random.pick(ROLES)],
    ],
  };
}

/** `count` users; a second user with the same handle in a directory gets the index appended. */
export function generateUsers(seed: string, count: number, directories: readonly string[]): User[] {
  const taken = new Set<string>();
  return Array.from({ length: count }, (_, index) => {
    const user = generateUser(seed, index, directories);
    if (taken.has(userKey(user.userDirectory, user.userId))) user.userId = `${user.userId}${index}`;
    taken.add(userKey(user.userDirectory, user.userId));
    return user;
  });
}
