import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { smallSiteWorld } from '../support/sim.js';

describe('World health', () => {
  test('is healthy to begin with', async () => {
    const world = await smallSiteWorld();
    assert.equal(world.health().healthy, true);
  });

  test('records proxy.healthChanged only when the health changes', async () => {
    const world = await smallSiteWorld();
    const changes = () => world.events.query({ type: 'proxy.healthChanged' }).map((e) => [e.healthy, e.reason, e.at]);
    assert.deepEqual(world.setHealth(false, 'engines down'), { healthy: false, reason: 'engines down' });
    world.setHealth(false, 'engines down');
    world.setHealth(true);
    world.setHealth(true, 'ignored');
    assert.equal(world.health().healthy, true);
    assert.deepEqual(changes(), [
      [false, 'engines down', world.now],
      [true, 'the proxy is running', world.now],
    ]);
  });

  test('a new reason while unhealthy is a change too', async () => {
    const world = await smallSiteWorld();
    world.setHealth(false, 'engines down');
    world.setHealth(false, 'still down');
    assert.deepEqual(world.health(), { healthy: false, reason: 'still down' });
    assert.equal(world.events.query({ type: 'proxy.healthChanged' }).length, 2);
  });

  test('unhealthy without a reason gets one that says where it came from', async () => {
    const world = await smallSiteWorld();
    const { healthy, reason } = world.setHealth(false);
    assert.equal(healthy, false);
    assert.match(reason, /control API/);
  });

  test('the event carries the simulated time', async () => {
    const world = await smallSiteWorld();
    world.advanceTo(world.now + 1234);
    world.setHealth(false, 'x');
    assert.equal(world.events.query({ type: 'proxy.healthChanged' })[0]?.at, world.now);
  });
});
