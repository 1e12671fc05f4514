// peer-ws-server.js — a minimal Node `ws` equivalent of bookimg-server's notification path
//
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The comparison peer for tests/bench/bench-fanout.c: the same WebSocket messages and loopback
// publish route as bookimg-server, nothing else (no storage, no pipeline), so the benchmark can
// measure both with the same client, side by side.
//   node peer-ws-server.js --listen 127.0.0.1:0      (NODE_PATH must reach the `ws` package)
// prints "listening on http://HOST:PORT" as its first stdout line, like bookimg-server.
//   WebSocket /ws: {"action":"subscribe","jobId":…} -> {"type":"subscribed","jobId":…}
//                  {"action":"unsubscribe","jobId":…} -> {"type":"unsubscribed","jobId":…}
//                  {"action":"ping"} -> {"type":"pong"}
//   POST /@topic (final results JSON): stored as the job's terminal message and pushed as
//                  {"type":"processingComplete","jobId":…,"seq":n,"results":…} to its subscribers.
'use strict';

const http = require('http');
const { WebSocket, WebSocketServer } = require('ws');

const JOB_ID = /^job-[0-9]{10,16}-[a-z0-9]{6,64}$/;
// The same cap as libsoup 3.2's incoming frames, so both servers refuse the same sizes.
const MAX_PAYLOAD = 128 * 1024;

function parseListen(argv) {
  const index = argv.indexOf('--listen');
  const value = index >= 0 ? argv[index + 1] : '127.0.0.1:0';
  const colon = value.lastIndexOf(':');
  if (colon < 0)
    throw new Error(`--listen HOST:PORT expected, got ${value}`);
  return { host: value.slice(0, colon), port: Number(value.slice(colon + 1)) };
}

const subscribers = new Map(); // jobId -> Set of sockets
const terminal = new Map();    // jobId -> the terminal message, for late subscribers
const seqs = new Map();        // jobId -> last seq pushed

function send(socket, message) {
  if (socket.readyState === WebSocket.OPEN)
    socket.send(message);
}

function errorMessage(code, message) {
  return JSON.stringify({ type: 'error', code, message });
}

function handleMessage(socket, data, isBinary) {
  let request;
  try {
    request = JSON.parse(data.toString());
  } catch (e) {
    send(socket, errorMessage('bad_json', 'the message is not JSON'));
    return;
  }
  switch (request && request.action) {
    case 'ping':
      send(socket, '{"type":"pong"}');
      return;
    case 'subscribe':
    case 'unsubscribe': {
      const jobId = request.jobId;
      if (typeof jobId !== 'string' || !JOB_ID.test(jobId)) {
        send(socket, errorMessage('bad_job_id', 'jobId must look like job-<ms>-<random>'));
        return;
      }
      if (request.action === 'subscribe') {
        let set = subscribers.get(jobId);
        if (!set) {
          set = new Set();
          subscribers.set(jobId, set);
        }
        set.add(socket);
        socket.jobs.add(jobId);
        send(socket, JSON.stringify({ type: 'subscribed', jobId }));
        // A job that already finished is answered with its result at once.
        const done = terminal.get(jobId);
        if (done)
          send(socket, done);
      } else {
        const set = subscribers.get(jobId);
        if (set)
          set.delete(socket);
        socket.jobs.delete(jobId);
        send(socket, JSON.stringify({ type: 'unsubscribed', jobId }));
      }
      return;
    }
    default:
      send(socket, errorMessage('unknown_action', 'action must be subscribe, unsubscribe or ping'));
  }
}

function publish(results) {
  const jobId = results && results.jobId;
  if (typeof jobId !== 'string' || !JOB_ID.test(jobId))
    return false;
  const seq = (seqs.get(jobId) || 0) + 1;
  seqs.set(jobId, seq);
  // Serialised once per publish, like a server that pushes one message to many connections.
  const message = JSON.stringify({ type: 'processingComplete', jobId, seq, results });
  terminal.set(jobId, message);
  const set = subscribers.get(jobId);
  if (set)
    for (const socket of set)
      send(socket, message);
  return true;
}

function answer(response, status, body) {
  response.writeHead(status, { 'Content-Type': 'application/json',
                               'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

const server = http.createServer((request, response) => {
  if (request.method === 'POST' && request.url === '/@topic') {
    const chunks = [];
    let length = 0;
    request.on('data', (chunk) => {
      length += chunk.length;
      if (length <= 1024 * 1024)
        chunks.push(chunk);
    });
    request.on('end', () => {
      let results;
      try {
        results = JSON.parse(Buffer.concat(chunks).toString());
      } catch (e) {
        answer(response, 400, '{"error":{"code":"bad_json","message":"the body is not JSON"}}');
        return;
      }
      if (length > 1024 * 1024 || !publish(results))
        answer(response, 400, '{"error":{"code":"bad_results","message":"not final results"}}');
      else
        answer(response, 202, '{}');
    });
  } else if (request.method === 'GET' && request.url === '/healthz') {
    answer(response, 200, '{"status":"ok"}');
  } else {
    answer(response, 404, '{"error":{"code":"not_found","message":"no such route"}}');
  }
});

const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD,
                                      perMessageDeflate: false });

server.on('upgrade', (request, socket, head) => {
  if (request.url !== '/ws') {
    socket.destroy();
    return;
  }
  sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request));
});

sockets.on('connection', (socket) => {
  socket.jobs = new Set();
  socket.on('message', (data, isBinary) => handleMessage(socket, data, isBinary));
  socket.on('close', () => {
    for (const jobId of socket.jobs) {
      const set = subscribers.get(jobId);
      if (set)
        set.delete(socket);
    }
    socket.jobs.clear();
  });
  socket.on('error', () => socket.terminate());
});

const { host, port } = parseListen(process.argv.slice(2));
// The same backlog bookimg-server asks for: thousands of clients connect at once.
server.listen({ host, port, backlog: 1024 }, () => {
  const address = server.address();
  process.stdout.write(`listening on http://${address.address}:${address.port}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT'])
  process.on(signal, () => process.exit(0));
