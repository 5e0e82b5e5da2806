// A second PubNub stand-in, on Node's own http2 module (a server implementation other than WireMock's Jetty),
// for measuring what HTTP/2 costs or saves the function: `./bench --h2-servers`. It answers every publish as
// PubNub does, after a fixed latency, over TLS with the tests' private CA; it offers h2 and HTTP/1.1 by ALPN
// (as PubNub does), or HTTP/1.1 only with --http1-only. Prints one JSON line when listening, and its
// connection and request counts on SIGTERM.
//   node pubnub-standin.mjs --pfx server.p12 --passphrase P [--latency 20] [--http1-only]
import fs from 'node:fs';
import http2 from 'node:http2';
import https from 'node:https';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
};
const http1Only = process.argv.includes('--http1-only');
const latency = Number(arg('latency', '20'));
const tls = { pfx: fs.readFileSync(arg('pfx')), passphrase: arg('passphrase') };
const counts = { connections: 0, requests: 0, h2: 0, http1: 0 };

function answer(req, res) {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    counts.requests++;
    counts[req.httpVersionMajor === 2 ? 'h2' : 'http1']++;
    const ok = req.method === 'POST' && req.url.startsWith('/publish/');
    setTimeout(() => {
      res.writeHead(ok ? 200 : 400, { 'content-type': 'text/javascript; charset="UTF-8"' });
      res.end(ok ? `[1,"Sent","${Date.now()}0000"]` : '[0,"Invalid"]');
    }, latency);
  });
}

const server = http1Only ? https.createServer(tls, answer) : http2.createSecureServer({ ...tls, allowHTTP1: true }, answer);
server.on('secureConnection', () => counts.connections++);
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port, protocols: http1Only ? ['http/1.1'] : ['h2', 'http/1.1'] }));
});
// Written synchronously: process.exit() drops what is still queued for a pipe.
process.on('SIGTERM', () => {
  fs.writeSync(1, `${JSON.stringify(counts)}\n`);
  process.exit(0);
});
