import type { Cluster, Decision } from './cluster.js';

export interface RankedEngine {
  engineId: string;
  hostName: string;
  port: number;
  priority: number;
  isAppOpen: boolean;
  saturated: boolean;
  cpu: number;
  memoryFreeMb: number;
}

export const APP_OPEN = 1;
export const SATURATED = 2;
/** Numbers kept per ranked engine in `Decision.seen`: cpu, free memory, flags. */
export const SEEN_WIDTH = 3;

/** A decision's ranking as the engines looked when it was made. */
export function rankedEngines(decision: Decision, cluster: Cluster): RankedEngine[] {
  return decision.engineIds.map((engineId, priority) => {
    const engine = cluster.engine(engineId);
    const at = priority * SEEN_WIDTH;
    const flags = decision.seen[at + 2] ?? 0;
    return {
      engineId,
      hostName: engine.hostName,
      port: engine.port,
      priority,
      isAppOpen: (flags & APP_OPEN) !== 0,
      saturated: (flags & SATURATED) !== 0,
      cpu: decision.seen[at] ?? 0,
      memoryFreeMb: decision.seen[at + 1] ?? 0,
    };
  });
}

/** Why the ranking came out as it did, in words. */
export function explain(decision: Decision, cluster: Cluster): string {
  const host = (id: string) => cluster.engine(id).hostName;
  const ranked = rankedEngines(decision, cluster);
  const { basis } = decision;
  const notes: string[] = [];
  const first = ranked[0];
  if (basis.rule === 'round-robin') notes.push(`round robin from position ${basis.cursor % cluster.engines.length}`);
  if (basis.rule === 'least-load') {
    notes.push(first ? `most free memory first: ${first.hostName} had ${first.memoryFreeMb} MB free` : 'no engine');
  }
  if (basis.rule === 'sticky-open') {
    notes.push(
      `sticky: the app was open on ${ranked
        .filter((r) => r.isAppOpen && !r.saturated)
        .map((r) => r.hostName)
        .join(', ')}`,
    );
  }
  if (basis.rule === 'sticky-nowhere') {
    notes.push(
      `sticky: the app was open nowhere, so round robin from position ${basis.cursor % cluster.engines.length}`,
    );
  }
  const saturated = ranked.filter((r) => r.saturated).map((r) => r.hostName);
  if (saturated.length > 0) notes.push(`saturated last: ${saturated.join(', ')}`);
  if (decision.left.length > 0) {
    notes.push(`not eligible: ${decision.left.map((l) => `${host(l.engineId)} (${l.why})`).join(', ')}`);
  }
  return ranked.length === 0 ? `no engine could take the session; ${notes.join('; ')}` : notes.join('; ');
}
