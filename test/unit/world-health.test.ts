import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { smallSiteWorld } from '../support/sim.js';

describe('World health', () => {
  test('is healthy to begin with', async () => {
    const world = await smallSiteWorld();
    assert.equal(world.health().healthy, true);
  });

  test('records proxy.healthChanged only when healthy/unhealthy changes', async () => {
    const world = await smallSiteWorld();
    assert.deepEqual(world.setHealth(false, 'engines down'), { healthy: false, reason: 'engines down' });
    assert.deepEqual(world.setHealth(false, 'still down'), { healthy: false, reason: 'still down' });
    assert.deepEqual(world.health(), { healthy: false, reason: 'still down' });
    world.setHealth(true);
    world.setHealth(true, 'ignored');
    assert.equal(world.health().healthy, true);
    assert.deepEqual(
      world.events.query().map((e) => [e.type, e.healthy, e.reason]),
      [
        ['proxy.healthChanged', false, 'engines down'],
        ['proxy.healthChanged', true, 'the proxy is running'],
      ],
    );
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
    assert.equal(world.events.query()[0]?.at, world.now);
  });
});
