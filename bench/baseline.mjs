// The limit for any Node hook: read the body, JSON.parse it, and answer with JSON.stringify of a response
// of the same size as the hook's answer for that payload. No validation, no workflow.
// Usage: node bench/baseline.mjs <responses.json> ; prints "listening <port>" once ready.
import http from 'node:http';
import { readFileSync } from 'node:fs';

const byRequestLength = new Map(Object.entries(JSON.parse(readFileSync(process.argv[2], 'utf8'))).map(([k, v]) => [Number(k), v]));

const server = http.createServer((req, res) => {
  if (req.method !== 'POST') {
    // readiness probe of the harness
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': 2 });
    res.end('{}');
    req.resume();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    JSON.parse(body.toString('utf8'));
    const answer = byRequestLength.get(body.length) ?? { status: {}, children: [] };
    const out = JSON.stringify(answer);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(out) });
    res.end(out);
  });
});
server.keepAliveTimeout = 120_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
