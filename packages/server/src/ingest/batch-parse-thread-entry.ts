// The batch parse thread's program: parses and validates batch bodies, answering each request under its own id.
import { parentPort, type MessagePort } from 'node:worker_threads';
import { err, ok } from '@touchline/core';
import { parseBatchBytes } from './parse-batch-body.js';
import { isBatchParseRequest, type BatchParseReply } from './batch-parse-protocol.js';

export function runBatchParseThread(port: MessagePort): void {
  port.on('message', (message: unknown) => {
    if (!isBatchParseRequest(message)) return; // nothing to answer: the main thread only sends requests
    let reply: BatchParseReply;
    try {
      reply = { id: message.id, result: ok(parseBatchBytes(message.body, message.rules)) };
    } catch (error) {
      reply = { id: message.id, result: err(error instanceof Error ? error.message : String(error)) };
    }
    port.postMessage(reply);
  });
}

// Entry point when loaded as a Worker; importing the module elsewhere does nothing.
if (parentPort !== null) runBatchParseThread(parentPort);
