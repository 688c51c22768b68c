// The dashboard: one stream of snapshots (GET /__sim/stream) feeds the views; every control is a call of
// the documented control API (api.js). Snapshots update the data as they arrive; the page redraws at most
// once per animation frame, so a busy cluster at a high speed never queues up work.
import { act, call, notify, withToken } from './api.js';
import { ClockView } from './clock.js';
import { DecisionsView, StrategyControl } from './decisions.js';
import { $, setAttr, setOptions, setText } from './dom.js';
import { EnginesView } from './engines.js';
import { ScenarioView } from './scenario.js';
import { SessionsView } from './sessions.js';

const STREAM = '/__sim/stream?interval=500';

const engines = new EnginesView($('engines'), (id, body, description) =>
  act(null, description, async () => engines.apply(await call('PUT', `/cluster/engines/${id}`, body))).then(schedule),
);
const decisions = new DecisionsView($('decisions'));
const strategy = new StrategyControl(
  [...document.querySelectorAll('.strategy button')],
  $('strategy-proxy'),
  $('strategies'),
  (name, virtualProxy) =>
    act(null, `Strategy: ${name}`, async () => {
      const answer = await call(
        'PUT',
        '/load-balancing',
        virtualProxy === undefined ? { strategy: name } : { strategy: name, virtualProxy },
      );
      strategy.update(answer.virtualProxies);
      strategy.render();
    }),
);
const clock = new ClockView(
  {
    time: $('clock-time'),
    date: $('clock-date'),
    state: $('clock-state'),
    toggle: $('clock-toggle'),
    speed: $('clock-speed'),
    step: $('advance-step'),
    advance: $('advance'),
  },
  {
    setClock: (body, description) =>
      act(null, description, async () => clock.update(await call('PUT', '/clock', body))).then(schedule),
    advance: (ms, description) =>
      act($('advance'), description, async () => clock.update(await call('POST', '/clock/advance', { ms }))).then(
        schedule,
      ),
  },
);
const sessions = new SessionsView({
  total: $('sessions-total'),
  loginsRate: $('logins-rate'),
  endingsRate: $('endings-rate'),
  endingsDetail: $('endings-detail'),
  rateChart: $('rate-chart'),
  proxies: $('sessions-proxies'),
  engines: $('sessions-engines'),
  surgeProxy: $('surge-proxy'),
});
const scenario = new ScenarioView({ root: $('scenario'), summary: $('scenario-summary'), events: $('events') });

let latest;
let frame;

function schedule() {
  frame ??= requestAnimationFrame(render);
}

function render() {
  frame = undefined;
  if (!latest) return;
  const { state } = latest;
  setText($('seed'), `seed “${state.seed}”, ${state.dialect} dialect`);
  const health = $('health');
  setText(health, state.health.healthy ? '✓ proxy healthy' : `✕ proxy UNHEALTHY: ${state.health.reason}`);
  setAttr(health, 'data-healthy', state.health.healthy);
  setText($('cluster-summary'), `${state.counts.enginesUp} of ${state.counts.engines} engines up`);
  clock.render();
  engines.render();
  decisions.render();
  strategy.render();
  sessions.render();
  scenario.render();
}

function onSnapshot(snapshot) {
  const now = snapshot.clock.nowMs;
  const fresh = snapshot.first || !engines.update(snapshot.engines, now);
  if (fresh) {
    // A new site (the first snapshot, a reset, a scenario with its own site): start every view over.
    engines.reset(snapshot.engines, now);
    decisions.reset();
    sessions.reset();
    scenario.reset();
  }
  latest = snapshot;
  clock.update(snapshot.clock);
  decisions.add(snapshot.decisions);
  strategy.update(snapshot.state.virtualProxies.map((p) => ({ prefix: p.prefix, strategy: p.loadBalancing })));
  sessions.update(snapshot);
  scenario.update(snapshot.scenario);
  scenario.addEvents(snapshot.events);
  schedule();
}

function connect() {
  const connection = $('connection');
  const source = new EventSource(withToken(STREAM));
  source.addEventListener('snapshot', (event) => onSnapshot(JSON.parse(event.data)));
  source.onopen = () => {
    setText(connection, '● live');
    setAttr(connection, 'data-live', true);
  };
  // EventSource reconnects by itself; the first snapshot after that starts the views over.
  source.onerror = () => {
    setText(connection, '○ reconnecting…');
    setAttr(connection, 'data-live', false);
  };
}

async function setUpScenarios() {
  const select = $('scenario-file');
  const about = $('scenario-about');
  const bundled = (await call('GET', '/scenarios').catch(() => [])) ?? [];
  setOptions(
    select,
    bundled.map((s) => [s.file, s.file.replace(/\.ya?ml$/, '')]),
  );
  const describe = () => setText(about, bundled.find((s) => s.file === select.value)?.summary ?? '');
  select.onchange = describe;
  describe();
  $('scenario-form').onsubmit = (event) => {
    event.preventDefault();
    const file = select.value;
    act(event.submitter, `Scenario ${file} loaded`, async () => {
      const text = await call('GET', `/scenarios/${encodeURIComponent(file)}`);
      scenario.update(await call('PUT', '/scenario', text, 'application/yaml'));
    }).then(schedule);
  };
  $('scenario-restart').onclick = (event) =>
    act(event.currentTarget, 'Scenario restarted', async () =>
      scenario.update(await call('POST', '/scenario/restart')),
    ).then(schedule);
  $('scenario-stop').onclick = (event) =>
    act(event.currentTarget, 'Scenario stopped, its effects undone', async () => {
      await call('DELETE', '/scenario');
      scenario.update(null);
    }).then(schedule);
}

$('surge').onsubmit = (event) => {
  event.preventDefault();
  const users = Number($('surge-users').value);
  const over = $('surge-over').value;
  const virtualProxy = $('surge-proxy').value;
  act(event.submitter, `Surge: ${users} logins over ${over}`, () =>
    call('POST', '/traffic/surge', { users, over, virtualProxy }),
  );
};

// The decision feed stays in view under the top bar, whose height depends on the screen's width.
const bar = document.querySelector('.topbar');
new ResizeObserver(() => document.body.style.setProperty('--bar', `${bar.offsetHeight}px`)).observe(bar);

connect();
setUpScenarios().catch((error) => notify(`The bundled scenarios could not be listed: ${error.message}`, 'error'));
