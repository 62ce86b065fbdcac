'use strict';
/**
 * The gateway's query planner, off the event loop. Plain CommonJS (no build
 * step, so the same file runs under tsx, jest and node). Protocol:
 *   parent → { sdl }                       (re)build the planner for a supergraph
 *   parent → { id, source, operationName }  plan one operation
 *   worker → { ready: true } | { ready: false, error }
 *   worker → { id, plan } | { id, error }
 */
const { parentPort } = require('node:worker_threads');
const { parse } = require('graphql');
const { Supergraph, operationFromDocument } = require('@apollo/federation-internals');
const { QueryPlanner } = require('@apollo/query-planner');

let supergraph;
let planner;

parentPort.on('message', (msg) => {
  if (msg.sdl !== undefined) {
    try {
      supergraph = Supergraph.build(msg.sdl);
      planner = new QueryPlanner(supergraph);
      parentPort.postMessage({ ready: true });
    } catch (err) {
      parentPort.postMessage({ ready: false, error: String(err && err.message ? err.message : err) });
    }
    return;
  }
  try {
    const operation = operationFromDocument(supergraph.apiSchema(), parse(msg.source), { operationName: msg.operationName });
    // a QueryPlan is plain data (strings, selection nodes): it crosses postMessage intact
    parentPort.postMessage({ id: msg.id, plan: planner.buildQueryPlan(operation) });
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: String(err && err.message ? err.message : err) });
  }
});
