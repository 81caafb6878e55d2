import { parentPort, workerData } from 'node:worker_threads';

import {
  pack,
  checkChunk,
  keyMap,
  spkiKey,
  type ChunkJob,
  type LineSettings,
} from './verify-lines.ts';

// A verify worker thread: checks chunks of lines (canonical form, schema,
// signatures) and sends the results back. Keys learned by the main thread
// from key records arrive as messages between jobs.

const settings = workerData as LineSettings;
const keys = keyMap(settings.keys);
const context = {
  origin: settings.origin,
  keys,
  nowMs: settings.nowMs,
  maxSkewMs: settings.maxSkewMs,
};

type Message =
  | { type: 'key'; fingerprint: string; spki: string }
  | ({ type: 'chunk'; job: number } & ChunkJob);

parentPort?.on('message', (message: Message) => {
  if (message.type === 'key') {
    keys.set(message.fingerprint, spkiKey(message.spki));
    return;
  }
  const reply = pack(message.job, checkChunk(message, context));
  parentPort?.postMessage(reply, [reply.leaves.buffer]);
});
