import type { Handlers } from '../../operations.js';

/** Health: 200 while the proxy is healthy, 503 when it is not; both without a body, as the contract declares. */
export function healthHandlers(): Handlers {
  return {
    getProxyHealth(call) {
      const { healthy, step } = call.world.health();
      if (step !== undefined) {
        const shaped = { id: `step-${step}`, source: 'scenario' as const, kind: 'healthFailure' as const, step };
        call.verdict = { ...call.verdict, shapedBy: [...call.verdict.shapedBy, shaped] };
      }
      call.end(healthy ? 200 : 503);
    },
  };
}
