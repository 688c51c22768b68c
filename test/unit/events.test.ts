import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventLog } from '../../src/domain/events.js';

function logWith(capacity: number, count: number): EventLog {
  const log = new EventLog(capacity);
  for (let i = 1; i <= count; i++) {
    log.record(i * 10, i % 2 === 0 ? 'session.ended' : 'session.started', { n: i });
  }
  return log;
}

const seqs = (events: Array<{ seq: number }>) => events.map((e) => e.seq);

describe('EventLog', () => {
  test('records events with increasing sequence numbers, their time and details', () => {
    const log = new EventLog(10);
    const first = log.record(100, 'proxy.healthChanged', { healthy: false });
    const second = log.record(100, 'simulator.reset');
    assert.deepEqual(first, { seq: 1, at: 100, type: 'proxy.healthChanged', healthy: false });
    assert.equal(second.seq, 2);
    assert.deepEqual(log.query(), [first, second]);
  });

  test('details cannot overwrite seq, at or type', () => {
    const log = new EventLog(10);
    const event = log.record(5, 'session.ended', { sessionId: 'x' });
    assert.equal(event.type, 'session.ended');
    assert.equal(event.seq, 1);
  });

  test('keeps at most its capacity, dropping the oldest first; sequence numbers go on', () => {
    const log = logWith(3, 5);
    assert.equal(log.size, 3);
    assert.equal(log.lastSeq, 5);
    assert.deepEqual(seqs(log.query()), [3, 4, 5]);
  });

  test('since is exclusive', () => {
    const log = logWith(10, 5);
    assert.deepEqual(seqs(log.query({ since: 2 })), [3, 4, 5]);
    assert.deepEqual(seqs(log.query({ since: 5 })), []);
    assert.deepEqual(seqs(log.query({ since: 0 })), [1, 2, 3, 4, 5]);
  });

  test('type filters by exact type', () => {
    const log = logWith(10, 5);
    assert.deepEqual(seqs(log.query({ type: 'session.ended' })), [2, 4]);
    assert.deepEqual(seqs(log.query({ type: 'session' })), []);
  });

  test('limit keeps the newest, still oldest first', () => {
    const log = logWith(10, 6);
    assert.deepEqual(seqs(log.query({ limit: 2 })), [5, 6]);
    assert.deepEqual(seqs(log.query({ limit: 100 })), [1, 2, 3, 4, 5, 6]);
  });

  test('since, type and limit combine: filter first, then keep the newest', () => {
    const log = logWith(10, 9);
    assert.deepEqual(seqs(log.query({ since: 1, type: 'session.started', limit: 2 })), [7, 9]);
  });

  test('since older than the oldest kept event returns what is kept', () => {
    const log = logWith(2, 5);
    assert.deepEqual(seqs(log.query({ since: 1 })), [4, 5]);
  });
});
