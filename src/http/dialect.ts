import type { Call } from './call.js';

/** A wire dialect of the simulated QPS: it answers every call that is not for the control API. */
export interface Dialect {
  serve(call: Call): void;
}
