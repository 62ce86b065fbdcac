import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { GraphQLError } from 'graphql';
import type { QueryPlan, QueryPlanCache } from '@apollo/query-planner';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { Logger } from '@cockpit/kit/edge';

/** The planner worker's young generation (V8's default is up to 48 MB): plans are small, the query graph lives in the old one. */
const PLANNER_YOUNG_GENERATION_MB = 8;

/** Default bound on planning one operation; `COCKPIT_PLAN_TIMEOUT_MS`. */
export const DEFAULT_PLAN_TIMEOUT_MS = 3000;
/** Operations waiting for the planner beyond which a new one is refused (SERVICE_UNAVAILABLE) rather than queued. */
const MAX_QUEUED = 64;
/** The gateway's own default plan store size. */
const CACHE_BYTES = 30 * 2 ** 20;

interface Job {
  id: number;
  key: string;
  source: string;
  operationName: string | undefined;
  timeoutMs: number;
  resolve(plan: QueryPlan): void;
  reject(err: Error): void;
}

/**
 * The gateway's query plans, made in a worker thread with a deadline.
 *
 * `@apollo/gateway` plans synchronously on the event loop, so an expensive
 * document stalls every other request and no timeout can stop it. This class
 * is the gateway's plan store (`queryPlannerConfig.cache`, same key): before
 * the gateway executes an operation, `ensurePlanned` finds its plan in the
 * store or has the worker make it, waiting at most `timeoutMs`. A plan that
 * takes longer is refused (INVALID_REQUEST, `planTimeoutMs`), the worker is
 * replaced, and nothing blocks the gateway meanwhile: the main thread never
 * plans. Plans are plain data and cross `postMessage` unchanged.
 */
export class WorkerPlanner implements QueryPlanCache {
  private readonly plans = new InMemoryLRUCache<QueryPlan>({
    maxSize: CACHE_BYTES,
    sizeCalculation: (plan) => Buffer.byteLength(JSON.stringify(plan), 'utf8'),
  });
  private readonly inFlight = new Map<string, Promise<QueryPlan>>();
  private readonly queue: Job[] = [];
  private worker?: Worker;
  private ready?: Promise<void>;
  private running?: { job: Job; timer: NodeJS.Timeout; started: number };
  private sdl?: string;
  private nextId = 0;
  /** Operations handed to a worker so far (concurrent requests for one document share one). */
  dispatched = 0;
  private generation = 0;
  private closed = false;
  private readyNow = false;

  constructor(
    private readonly timeoutMs: number,
    private readonly log: Logger,
  ) {}

  /** The supergraph to plan against (first load and every update); plans of the old one are dropped by the gateway (`clear`). */
  setSupergraph(sdl: string) {
    if (sdl === this.sdl) return;
    this.sdl = sdl;
    this.generation++;
    this.plans.clear();
    this.inFlight.clear();
    this.restart();
  }

  /**
   * True once a worker has loaded a supergraph (readiness). A worker replaced after an overrun does not
   * make the gateway unready meanwhile (requests wait for it): a client must not be able to flap readiness.
   */
  get isReady(): boolean {
    return this.readyNow;
  }

  /** Resolves when the first worker has loaded the supergraph (rejects when it cannot). */
  whenReady(): Promise<void> {
    return this.ready ?? Promise.reject(new Error('query planner has no supergraph'));
  }

  /** The gateway's store key for an operation: its query hash, with the operation name when one is given. */
  static keyOf(queryHash: string, operationName: string | null | undefined): string {
    return operationName ? createHash('sha256').update(queryHash).update(operationName).digest('hex') : queryHash;
  }

  /** Resolves once the operation's plan is in the store; throws a client error when planning it overruns its bound. */
  async ensurePlanned(key: string, source: string, operationName: string | undefined, timeoutMs = this.timeoutMs): Promise<void> {
    for (;;) {
      if (await this.plans.get(key)) return;
      const generation = this.generation;
      const plan = await this.plan(key, source, operationName, timeoutMs);
      // a plan made for a supergraph that was replaced meanwhile is planned again
      if (generation !== this.generation) continue;
      await this.plans.set(key, plan);
      return;
    }
  }

  private plan(key: string, source: string, operationName: string | undefined, timeoutMs: number): Promise<QueryPlan> {
    let pending = this.inFlight.get(key);
    if (!pending) {
      if (this.queue.length >= MAX_QUEUED)
        throw new GraphQLError('The query planner is busy; retry shortly', {
          extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } },
        });
      pending = new Promise<QueryPlan>((resolve, reject) => {
        this.queue.push({ id: ++this.nextId, key, source, operationName, timeoutMs, resolve, reject });
      });
      this.inFlight.set(key, pending);
      const settle = () => this.inFlight.get(key) === pending && this.inFlight.delete(key);
      pending.then(settle, settle);
      this.pump();
    }
    return pending;
  }

  // QueryPlanCache, as the gateway uses it
  get(key: string) {
    return this.plans.get(key);
  }
  set(key: string, plan: QueryPlan) {
    return this.plans.set(key, plan);
  }
  delete(key: string) {
    return this.plans.delete(key);
  }
  clear() {
    this.plans.clear();
  }

  async close() {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('gateway closing'));
    if (this.running) this.abort(new Error('gateway closing'));
    await this.worker?.terminate();
    this.worker = undefined;
  }

  /** A fresh worker for the current supergraph; whatever it was doing is answered by the queue again. */
  private restart() {
    const old = this.worker;
    if (old) {
      old.removeAllListeners();
      void old.terminate();
    }
    if (this.closed || this.sdl === undefined) return;
    // planning allocates short-lived objects: a small young generation keeps the worker's RSS down (bench/BENCHMARKS.md)
    const worker = new Worker(join(__dirname, 'plan-worker.js'), {
      resourceLimits: { maxYoungGenerationSizeMb: PLANNER_YOUNG_GENERATION_MB },
    });
    worker.unref();
    worker.postMessage({ sdl: this.sdl });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.once('message', (m: { ready: boolean; error?: string }) =>
        m.ready ? resolve() : reject(new Error(`query planner could not load the supergraph: ${m.error}`)),
      );
    });
    this.ready.catch((err) => this.log.error({ err: err.message }, 'query planner failed to start'));
    worker.on('error', (err) => {
      this.log.error({ err: err.message }, 'query planner worker failed; starting another');
      if (this.running) this.abort(new Error('query planner failed'));
      this.restart();
    });
    this.ready.then(
      () => {
        if (worker === this.worker) this.readyNow = true;
        worker.on('message', (m: { id: number; plan?: QueryPlan; error?: string }) => this.answer(m));
        this.pump();
      },
      () => undefined,
    );
    if (this.running) {
      // the job the old worker held goes back to the front, with a fresh deadline
      clearTimeout(this.running.timer);
      this.queue.unshift(this.running.job);
      this.running = undefined;
    }
  }

  private pump() {
    if (this.running || !this.worker || !this.queue.length) return;
    const worker = this.worker;
    void this.ready!.then(
      () => {
        if (this.running || worker !== this.worker) return;
        const job = this.queue.shift();
        if (!job) return;
        // the deadline runs from the moment the worker takes the job, not while it waits its turn
        const timer = setTimeout(() => this.overrun(job), job.timeoutMs);
        this.dispatched++;
        this.running = { job, timer, started: performance.now() };
        worker.postMessage({ id: job.id, source: job.source, operationName: job.operationName });
      },
      (err: Error) => {
        for (const job of this.queue.splice(0)) job.reject(err);
      },
    );
  }

  private answer(m: { id: number; plan?: QueryPlan; error?: string }) {
    const running = this.running;
    if (!running || running.job.id !== m.id) return;
    clearTimeout(running.timer);
    this.running = undefined;
    // an answer that came after the deadline (the event loop had not run the timer yet) is an overrun too;
    // the worker is free again, so it is kept
    if (performance.now() - running.started > running.job.timeoutMs) running.job.reject(overrunError(running.job.timeoutMs));
    else if (m.plan) running.job.resolve(m.plan);
    else running.job.reject(planningError(m.error ?? 'unknown'));
    this.pump();
  }

  private overrun(job: Job) {
    const timeoutMs = job.timeoutMs;
    this.log.warn({ timeoutMs, operationName: job.operationName }, 'query planning overran its bound; refused');
    this.abort(overrunError(timeoutMs));
    this.restart();
  }

  private abort(err: Error) {
    const running = this.running!;
    clearTimeout(running.timer);
    this.running = undefined;
    running.job.reject(err);
  }
}

function overrunError(timeoutMs: number): GraphQLError {
  return new GraphQLError(
    `Planning this operation took longer than ${timeoutMs} ms; it was refused. Split it, or use fewer aliases and cross-subgraph paths.`,
    { extensions: { code: 'INVALID_REQUEST', planTimeoutMs: timeoutMs, http: { status: 400 } } },
  );
}

/** The planner refusing a document the validation admitted is a programming error on our side, not the client's. */
function planningError(message: string): Error {
  return new Error(`query planning failed: ${message}`);
}
