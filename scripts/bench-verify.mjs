// Load for `datahub bench verify`: autocannon against a running DataHub, GET /api/v1/exchange/verify/citizen/{id}
// with the ids of a file (one per line) in random order. Usage:
//   node scripts/bench-verify.mjs <base-url> <bearer-key> <ids-file> <connections> <seconds> [overall-rate]
// With an overall rate the offered load is fixed (autocannon spaces requests over the connections); without, each
// connection sends as fast as answers come back. Prints autocannon's result as one JSON line.
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';

const [base, key, idsFile, connections, seconds, rate] = process.argv.slice(2);
const ids = readFileSync(idsFile, 'utf8').split('\n').filter(Boolean);
let next = Math.floor(Math.random() * ids.length);
const options = {
  url: base,
  connections: Number(connections),
  duration: Number(seconds),
  headers: { authorization: `Bearer ${key}` },
  requests: [{
    method: 'GET',
    setupRequest: (request) => {
      next = (next + 7919) % ids.length;
      request.path = `/api/v1/exchange/verify/citizen/${ids[next]}`;
      return request;
    },
  }],
};
if (rate) options.overallRate = Number(rate);
const result = await autocannon(options);
process.stdout.write(JSON.stringify({
  requests: result.requests.total, rps: result.requests.average, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts,
  latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, p999: result.latency.p99_9, max: result.latency.max, mean: result.latency.average },
}) + '\n');
