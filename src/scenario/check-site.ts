import type { Scenario } from '../domain/scenario.js';
import type { World } from '../domain/world.js';
import type { Located, ScenarioProblem } from './parse.js';

/** What a scenario names that the site must have: engines, virtual proxies, users. */
export function checkAgainstSite(scenario: Scenario, world: World, source: string, locate: Located): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const problem = (field: string, reason: string) => problems.push({ source, line: locate(field), field, reason });
  const engines = world.cluster.engines.length;
  scenario.steps.forEach((step, i) => {
    const { action } = step;
    const at = `steps[${i}].${action.kind}`;
    if ('engine' in action && action.engine !== undefined && !world.cluster.findEngine(action.engine)) {
      problem(
        `${at}.engine`,
        typeof action.engine === 'number'
          ? `is engine ${action.engine}, but the site has ${engines}`
          : `names no engine of the site (host names: ${world.cluster.engines.map((e) => e.hostName).join(', ')})`,
      );
    }
    if ('virtualProxy' in action && action.virtualProxy !== undefined && !world.proxy(action.virtualProxy)) {
      problem(
        `${at}.virtualProxy`,
        `is not a virtual proxy of the site (${[...world.site.proxies.keys()].map((p) => JSON.stringify(p)).join(', ')})`,
      );
    }
    if (
      action.kind === 'dropSessions' &&
      action.user &&
      !world.findUser(action.user.userDirectory, action.user.userId)
    ) {
      problem(`${at}.user`, 'is not a user of the site');
    }
  });
  return problems;
}
