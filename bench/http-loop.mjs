// The sandbox's own capacity: raw node:http (the cheapest client), keep-alive, N requests with
// `inflight` at a time. Prints JSON: requests, seconds, requests per second.
import http from 'node:http';

const [base, key, count, inflight] = [
  new URL(process.argv[2]),
  process.argv[3],
  Number(process.argv[4]),
  Number(process.argv[5] ?? 64),
];
const agent = new http.Agent({ keepAlive: true, maxSockets: inflight });
let next = 0;
const t0 = performance.now();
function one(i) {
  return new Promise((resolve) => {
    const body = JSON.stringify({ primeiro_nome: `H${i}`, ultimo_nome: 'Loop', empresa: 'Bench' });
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        path: '/crm_basico',
        method: 'POST',
        agent,
        headers: { 'x-api-key': key, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', resolve);
    req.end(body);
  });
}
async function worker() {
  while (next < count) await one(next++);
}
await Promise.all(Array.from({ length: inflight }, worker));
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ requests: count, seconds, requestsPerSecond: count / seconds }));
agent.destroy();
