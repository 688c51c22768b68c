export { createSimulator, type Simulator, type SimulatorDeps } from './simulator.js';
export { DEFAULTS, OptionsError, resolveOptions, type ResolvedOptions, type SimulatorOptions } from './options.js';
export { FixtureError, parseFixture, type SiteFixture } from './site/fixture.js';
export { loadFixtureFile } from './site/load-fixture.js';
export { SimError, errors, type ErrorKind } from './domain/errors.js';
export type { Clock, ClockMode, ClockSnapshot } from './domain/clock.js';
export type { SimEvent, SimEventType } from './domain/events.js';
export type { Session } from './domain/sessions.js';
export type { World, Health } from './domain/world.js';
