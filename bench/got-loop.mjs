// The yardstick for enrich's CPU cost: a bare got loop, one instance, keep-alive agent, N
// requests with `inflight` at a time. Prints JSON: requests, seconds, CPU us per request.
import http from 'node:http';
import got from 'got';

const [url, key, count, inflight] = [
  process.argv[2],
  process.argv[3],
  Number(process.argv[4]),
  Number(process.argv[5] ?? 64),
];
const agent = new http.Agent({ keepAlive: true, maxSockets: inflight });
const client = got.extend({
  prefixUrl: url,
  headers: { 'x-api-key': key },
  agent: { http: agent },
  retry: { limit: 0 },
  throwHttpErrors: false,
});
let next = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
async function worker() {
  while (next < count) {
    const i = next++;
    await client
      .post('crm_basico', { json: { primeiro_nome: `G${i}`, ultimo_nome: 'Loop', empresa: 'Bench' } })
      .json()
      .catch(() => undefined);
  }
}
await Promise.all(Array.from({ length: inflight }, worker));
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    requests: count,
    seconds,
    requestsPerSecond: count / seconds,
    cpuMicrosPerRequest: (cpu.user + cpu.system) / count,
  }),
);
agent.destroy();
