import { parentPort, workerData } from 'node:worker_threads';
import request from 'supertest';
import { createSimulator } from '../../src/index.js';

/**
 * Runs one case in a worker thread, in a module graph of its own (nothing compiled or cached by the
 * tests before it), where a hang stops only the worker. Posts `ready` once the simulator is made, so
 * that the caller times only the requests, then the statuses it got.
 */
const { probe, time } = workerData as { probe: 'importFarTime' | 'firstFault'; time?: number };
const sim = createSimulator({ seed: 'probe', traffic: false });
parentPort?.postMessage({ ready: true });

if (probe === 'importFarTime') {
  const state = JSON.parse(JSON.stringify(sim.exportState())) as { world: { time: number } };
  state.world.time = time ?? 1e300;
  const imported = await request(sim.app).put('/__sim/state/import').send(state);
  const clock = await request(sim.app).get('/__sim/clock');
  parentPort?.postMessage({ imported: imported.status, clock: clock.status });
} else {
  const fault = { errors: { operations: ['getSessions'], status: 503 } };
  const added = await request(sim.app).post('/__sim/faults').send(fault);
  parentPort?.postMessage({ added: added.status });
}
