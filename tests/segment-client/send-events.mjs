// Drives the official Segment Node.js client (@segment/analytics-node) against an OpenCem server.
//
//   node send-events.mjs --host http://127.0.0.1:5000 --write-key ocm_write_... --count 10000 --run-id r1
//
// Every option can also come from the environment: OPENCEM_HOST, OPENCEM_WRITE_KEY, EVENT_COUNT, RUN_ID.
// The client generates every messageId itself ("node-next-<epoch ms>-<uuid>") and retries failed batches
// with the very same events, so a server that stores each message once ends up with exactly --count rows.
// Prints one JSON line: {"sent":..,"delivered":..,"errors":..,"requests":..,"retries":..,"statuses":{..},...}.
import { Analytics } from '@segment/analytics-node';
import { setMaxListeners } from 'node:events';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: process.env.OPENCEM_HOST },
    'write-key': { type: 'string', default: process.env.OPENCEM_WRITE_KEY },
    count: { type: 'string', default: process.env.EVENT_COUNT ?? '10000' },
    'run-id': { type: 'string', default: process.env.RUN_ID ?? `run-${Date.now()}` },
    'flush-at': { type: 'string', default: process.env.FLUSH_AT ?? '100' },
    'max-retries': { type: 'string', default: process.env.MAX_RETRIES ?? '5' },
    timeout: { type: 'string', default: process.env.FLUSH_TIMEOUT_MS ?? '50000' },
  },
});

const host = values.host;
const writeKey = values['write-key'];
const count = Number.parseInt(values.count, 10);
const runId = values['run-id'];
if (!host || !writeKey || !Number.isInteger(count) || count < 0) {
  console.error('usage: node send-events.mjs --host URL --write-key KEY [--count N] [--run-id ID]');
  process.exit(2);
}

// Every batch waiting out its retry backoff adds a listener to the client's one shared AbortSignal; with
// dozens of batches in flight Node warns about a listener leak that is none. Raise the default limit for
// EventTargets created from here on (the client makes its AbortController in its constructor).
setMaxListeners(1000);

const analytics = new Analytics({
  writeKey,
  host,
  path: '/v1/batch',
  maxRetries: Number.parseInt(values['max-retries'], 10),
  flushAt: Number.parseInt(values['flush-at'], 10),
  flushInterval: 200,
  httpRequestTimeout: 15000,
});

const summary = {
  runId,
  sent: 0,
  delivered: 0,
  errors: 0,
  requests: 0,
  retries: 0,
  responses: 0,
  networkFailures: 0,
  statuses: {},
  firstErrors: [],
  elapsedMs: 0,
};

analytics.on('http_request', (request) => {
  summary.requests++;
  if (request.headers['X-Retry-Count']) {
    summary.retries++;
  }
});
analytics.on('http_response', (response) => {
  summary.responses++;
  summary.statuses[response.status] = (summary.statuses[response.status] ?? 0) + 1;
});
// Delivery failures surface both here and in the per-call callback; count them in the callback only.
analytics.on('error', () => {});

const done = (err) => {
  if (err) {
    summary.errors++;
    if (summary.firstErrors.length < 5) {
      summary.firstErrors.push(String(err?.message ?? err));
    }
  } else {
    summary.delivered++;
  }
};

const outcomes = ['success', 'failure', 'abandoned'];
const plans = ['tv', 'mobile', 'bundle', 'broadband'];
const pages = ['Home', 'Tariffs', 'Bill', 'Help', 'Contact'];
const events = ['Bill Viewed', 'Tariff Changed', 'Ticket Opened', 'Chat Started', 'Order Completed'];

const started = Date.now();
for (let i = 0; i < count; i++) {
  // A mix of known customers, anonymous visitors and anonymous visitors who are also known.
  const who = i % 3 === 0
    ? { userId: `${runId}-user-${i % 250}` }
    : i % 3 === 1
      ? { anonymousId: `${runId}-anon-${i % 400}` }
      : { userId: `${runId}-user-${i % 250}`, anonymousId: `${runId}-anon-${i % 400}` };
  const kind = i % 10;
  if (kind < 6) {
    analytics.track({
      ...who,
      event: events[i % events.length],
      properties: {
        outcome: outcomes[i % outcomes.length],
        effort: 1 + (i % 7),
        ...(i % 5 === 0 ? { revenue: Number(((i % 100) + 0.5).toFixed(2)) } : {}),
        channel: i % 2 === 0 ? 'web' : 'app',
        sequence: i,
        runId,
      },
    }, done);
  } else if (kind < 8) {
    analytics.page({
      ...who,
      name: pages[i % pages.length],
      properties: { path: `/${pages[i % pages.length].toLowerCase()}`, sequence: i, runId },
    }, done);
  } else {
    analytics.identify({
      ...who,
      traits: { plan: plans[i % plans.length], region: i % 2 === 0 ? 'Bavaria' : 'Saxony', sequence: i },
    }, done);
  }
  summary.sent++;
}

await analytics.closeAndFlush({ timeout: Number.parseInt(values.timeout, 10) });
summary.elapsedMs = Date.now() - started;
// Requests without any HTTP answer (connection dropped, timed out) failed at the network level.
summary.networkFailures = summary.requests - summary.responses;
// Calls whose callback never ran (closeAndFlush timed out) were not delivered either.
summary.errors += summary.sent - summary.delivered - summary.errors;
console.log(JSON.stringify(summary));
process.exit(summary.errors === 0 ? 0 : 1);
