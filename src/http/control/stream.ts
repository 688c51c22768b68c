import type { Request, RequestHandler } from 'express';
import { errors } from '../../domain/errors.js';
import type { World } from '../../domain/world.js';
import type { ControlContext } from './index.js';
import { clockOf, decisionOf, engineOf, eventOf, stateOf } from './serializers.js';

const MAX_DECISIONS = 50;
const MAX_EVENTS = 100;

function intervalOf(req: Request): number {
  const raw = req.query.interval;
  if (raw === undefined) return 500;
  const ms = typeof raw === 'string' && /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(ms >= 100 && ms <= 10_000)) throw errors.invalidQuery('interval', 'must be an integer from 100 to 10000 (ms)');
  return ms;
}

/**
 * Server-sent events for live views (the dashboard): a `snapshot` at once and then every `interval`
 * ms of wall time: clock, state, engines (with their history in the first one), the decisions and
 * events since the previous snapshot, the scenario's progress and the running totals.
 */
export function streamHandler(ctx: ControlContext): RequestHandler {
  return (req, res) => {
    const interval = intervalOf(req);
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    res.flushHeaders();
    let seen: { world: World; decision: number; event: number } | undefined;
    const send = () => {
      ctx.sync();
      const world = ctx.world();
      const first = seen?.world !== world;
      const since = first ? { decision: 0, event: 0 } : (seen as NonNullable<typeof seen>);
      const decisions = world.cluster.decisions.query({ since: since.decision, limit: MAX_DECISIONS });
      const events = world.events.query({ since: since.event, limit: MAX_EVENTS });
      seen = { world, decision: world.cluster.decisions.lastSeq, event: world.events.lastSeq };
      const snapshot = {
        first,
        clock: clockOf(ctx.clock.snapshot()),
        state: stateOf(world, ctx.clock.snapshot()),
        engines: world.cluster.engines.map((engine) => {
          const view = engineOf(engine, world.cluster);
          return first ? view : { ...view, history: view.history.slice(-1) };
        }),
        decisions: decisions.map((d) => decisionOf(d, world.cluster)),
        events: events.map(eventOf),
        scenario: ctx.scenarioProgress() ?? null,
        totals: world.totals,
      };
      res.write(`event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`);
    };
    send();
    const timer = setInterval(send, interval);
    res.on('close', () => clearInterval(timer));
  };
}
