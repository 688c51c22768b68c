#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { pino } from 'pino';
import { readBuildInfo, type BuildInfo } from '../build-info.js';
import { knownOperations } from '../openapi/documents.js';
import { readScenarioText } from '../scenario/load.js';
import { readStateFile, writeAtomically } from '../state-file.js';
import { formatProblem } from '../scenario/parse.js';
import { validateScenarioFiles } from '../scenario/validate-files.js';
import { STRATEGIES, type Strategy } from '../domain/load-balancer.js';
import { DEFAULTS, OptionsError, type SimulatorOptions } from '../options.js';
import { createSimulator, type Simulator } from '../simulator.js';
import { FixtureError } from '../site/fixture.js';
import { loadFixtureFile } from '../site/load-fixture.js';
import { CLIENT_CERT_MODES, describeClientCertMode, loadTlsOptions, type ClientCertMode } from '../transport/tls.js';

const integer = (name: string, min: number, max: number) => (value: string) => {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}.`);
  }
  return Number(value);
};

const positive = (name: string) => (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`${name} must be a number above 0.`);
  return n;
};

const collect = (value: string, previous: string[] = []) => [...previous, value];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function program(version: string): Command {
  return new Command('qps-sim')
    .description('A stateful simulator of the Qlik Sense Proxy Service (QPS).')
    .version(version)
    .option('-p, --port <port>', 'port to listen on; 0 picks a free one', integer('port', 0, 65535), 4243)
    .option('-H, --host <host>', 'address to listen on', '127.0.0.1')
    .option('--seed <seed>', 'seed of everything generated', DEFAULTS.seed)
    .option('--users <n>', 'users to generate', integer('users', 0, 100_000), DEFAULTS.users)
    .option('--sessions <n>', 'sessions the site starts with', integer('sessions', 0, 1_000_000), DEFAULTS.sessions)
    .option('--fixture <file>', 'load the site (users, virtual proxies, sessions) from a YAML or JSON file')
    .option('--virtual-proxy <prefix>', 'a virtual proxy besides the default one; repeatable (default: hdr)', collect)
    .option(
      '--session-timeout <minutes>',
      'session inactivity timeout',
      integer('session timeout', 1, 525_600),
      DEFAULTS.sessionTimeoutMinutes,
    )
    .option(
      '--max-sessions-per-user <n>',
      'sessions one user may hold at once',
      integer('max sessions per user', 1, 1000),
      DEFAULTS.maxSessionsPerUser,
    )
    .option('--engines <n>', 'engines in the cluster', integer('engines', 1, 256), DEFAULTS.engines)
    .option('--apps <n>', 'apps in the catalogue', integer('apps', 1, 10_000), DEFAULTS.apps)
    .addOption(
      new Option('--lb-strategy <strategy>', 'load balancing of every virtual proxy')
        .choices([...STRATEGIES])
        .default(DEFAULTS.lbStrategy),
    )
    .option('--skip-saturated', 'leave saturated engines out of rankings (default: rank them last)')
    .option('--no-traffic', 'no simulated users: sessions change only through the API')
    .option(
      '--logins-per-hour <n>',
      'logins per hour at the busiest time (default: 0.8 per user)',
      positive('logins per hour'),
    )
    .option(
      '--app-cache-minutes <n>',
      'minutes an app with no open session stays loaded',
      integer('app cache minutes', 0, 525_600),
      DEFAULTS.appCacheMinutes,
    )
    .addOption(
      new Option('--clock <mode>', 'manual: time moves only through the control API')
        .choices(['realtime', 'manual'])
        .default('realtime'),
    )
    .option('--speed <factor>', 'simulated seconds per real second (realtime clock)', positive('speed'), 1)
    .option('--start-time <iso>', 'simulated start time, or "now"', DEFAULTS.startTime)
    .addOption(
      new Option(
        '--dialect <dialect>',
        'seed: the contract the product was specified from; qlik: a real QPS on the wire',
      )
        .choices(['seed', 'qlik'])
        .default('seed'),
    )
    .option('--scenario <file>', 'play a scenario (YAML or JSON) from the start')
    .option(
      '--state-file <file>',
      'restore the whole state from this file at start; save it there on exit and every --state-interval',
    )
    .option('--state-interval <seconds>', 'how often to save the state file', integer('state interval', 1, 86_400), 60)
    .option('--no-control', 'do not serve the /__sim control API')
    .option(
      '--control-token <token>',
      'require this token on the control API (also from QPS_SIM_CONTROL_TOKEN); without one it answers only on loopback',
    )
    .option('--tls <dir>', 'serve HTTPS with root.pem, server.pem and server_key.pem from a folder (qps-sim certs)')
    .addOption(
      new Option(
        '--client-cert <mode>',
        'with --tls: ask clients for a certificate signed by root.pem (default: off)',
      ).choices([...CLIENT_CERT_MODES]),
    )
    .addOption(new Option('--log-level <level>', 'log level (logs go to stderr)').choices(LOG_LEVELS).default('info'))
    .showHelpAfterError('(run qps-sim --help for the options)');
}

function banner(version: string, url: string, state: ReturnType<Simulator['state']>): string[] {
  const { seed, counts, clock, virtualProxies } = state;
  const proxies = virtualProxies.map(
    (p) => `${p.prefix === '' ? '/qps (default)' : `/${p.prefix}/qps`} ${p.loadBalancing}`,
  );
  return [
    `qps-sim ${version} listening on ${url}`,
    `  seed ${JSON.stringify(seed)}: ${counts.users} users, ${counts.sessions} sessions, ${counts.engines} engines, ${counts.apps} apps`,
    `  dialect: ${state.dialect}; virtual proxies: ${proxies.join(', ')}`,
    `  clock: ${clock.mode}${clock.mode === 'realtime' ? ` at speed ${clock.speed}` : ''}, simulated time ${clock.now}`,
  ];
}

/** `qps-sim validate FILE...`: every problem as file:line: field: reason; exit 1 if there is one. */
async function validate(files: string[]): Promise<void> {
  const verdicts = await validateScenarioFiles(files, {}, OPERATIONS);
  for (const { file, problems, summary } of verdicts) {
    if (problems.length === 0) console.log(`${file}: ok (${summary})`);
    for (const problem of problems) console.error(formatProblem(problem));
  }
  process.exit(verdicts.some((v) => v.problems.length > 0) ? 1 : 0);
}

const OPERATIONS = knownOperations();

async function main(): Promise<void> {
  const build = readBuildInfo();
  const cli = program(build.version);
  cli
    .command('validate')
    .description('check scenario files: each problem with its file, line, field and reason')
    .argument('<files...>', 'scenario files (YAML or JSON)')
    .action(validate);
  cli
    .command('certs')
    .description('write a CA, a server and a client certificate (root.pem, server.pem, client.pem and keys) for --tls')
    .requiredOption('--out <dir>', 'folder to write them to (created if missing)')
    .option('--force', 'overwrite certificate files that exist')
    .option('--san <name>', 'another DNS name or IP address for the server certificate; repeatable', collect)
    // Loaded only for this command: the certificate library is not needed to serve.
    .action(async (o: Parameters<typeof import('./certs.js').writeCerts>[0]) =>
      (await import('./certs.js')).writeCerts(o),
    );
  cli.action(() => serve(build, cli.opts()));
  await cli.parseAsync();
}

/** Takes over the state saved in `file`, if there is one; a file that does not load stops the start. */
async function restoreState(sim: Simulator, file: string): Promise<void> {
  let data: unknown;
  try {
    data = await readStateFile(file);
  } catch (error) {
    throw new OptionsError(`--state-file ${file}: cannot read it (${(error as Error).message})`);
  }
  if (data === undefined) return;
  try {
    sim.importState(data);
  } catch (error) {
    throw new OptionsError(`--state-file ${file}: ${(error as Error).message}`);
  }
}

async function serve(build: BuildInfo, o: Record<string, unknown>): Promise<void> {
  const logger = pino({ level: o.logLevel as string }, pino.destination(2));
  const options: SimulatorOptions = {
    seed: o.seed as string,
    users: o.users as number,
    sessions: o.sessions as number,
    virtualProxies: o.virtualProxy as string[] | undefined,
    sessionTimeoutMinutes: o.sessionTimeout as number,
    maxSessionsPerUser: o.maxSessionsPerUser as number,
    clock: o.clock as 'realtime' | 'manual',
    speed: o.speed as number,
    startTime: o.startTime === 'now' ? Date.now() : (o.startTime as string),
    control: o.control as boolean,
    dialect: o.dialect as 'seed' | 'qlik',
    controlToken: (o.controlToken as string | undefined) ?? process.env.QPS_SIM_CONTROL_TOKEN,
    engines: o.engines as number,
    apps: o.apps as number,
    lbStrategy: o.lbStrategy as Strategy,
    skipSaturated: o.skipSaturated === true,
    traffic: o.traffic as boolean,
    peakLoginsPerHour: o.loginsPerHour as number | undefined,
    appCacheMinutes: o.appCacheMinutes as number,
  };
  try {
    if (o.fixture) options.fixture = await loadFixtureFile(o.fixture as string);
    const sim = createSimulator(options, { logger });
    if (o.scenario) {
      const file = o.scenario as string;
      const read = await readScenarioText(file);
      const loaded = read.ok ? sim.loadScenario(read.text, file) : read;
      if (!loaded.ok) {
        for (const problem of loaded.problems) console.error(formatProblem(problem));
        console.error(`qps-sim: the scenario ${file} has problems (qps-sim validate ${file} lists them)`);
        process.exit(1);
      }
    }
    const stateFile = o.stateFile as string | undefined;
    if (stateFile) await restoreState(sim, stateFile);
    if (o.clientCert && !o.tls)
      throw new OptionsError('--client-cert needs --tls DIR (qps-sim certs --out DIR writes one)');
    const tls = o.tls ? await loadTlsOptions(o.tls as string, (o.clientCert as ClientCertMode) ?? 'off') : undefined;
    const { url } = await sim.listen(o.port as number, o.host as string, tls);
    for (const line of banner(build.version, url, sim.state())) console.log(line);
    if (tls) console.log(`  tls: ${describeClientCertMode(tls.clientCert)}`);
    if (options.control !== false) console.log(`  dashboard: ${url}/__sim/ui  (control API: ${url}/__sim/state)`);
    const scenario = sim.scenarioProgress();
    if (scenario) console.log(`  scenario: ${scenario.name} (${scenario.steps.length} steps)`);
    const save = async () => {
      if (stateFile) await writeAtomically(stateFile, JSON.stringify(sim.exportState()));
    };
    const saver = stateFile
      ? setInterval(() => void save().catch((e) => logger.error(e)), (o.stateInterval as number) * 1000)
      : undefined;
    saver?.unref();
    if (stateFile) console.log(`  state file: ${stateFile} (saved every ${o.stateInterval as number} s and on exit)`);
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      clearInterval(saver);
      // The requests in flight finish first; then the state is saved whole.
      void sim
        .close()
        .then(save)
        .then(
          () => process.exit(0),
          (error: unknown) => {
            console.error(`qps-sim: could not save the state: ${(error as Error).message}`);
            process.exit(1);
          },
        );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    if (error instanceof OptionsError || error instanceof FixtureError || (error as NodeJS.ErrnoException).code) {
      console.error(`qps-sim: ${(error as Error).message}`);
      process.exit(1);
    }
    throw error;
  }
}

await main();
