// Experiment only (bench/BENCHMARKS.md, "what async hooks cost"), never loaded by the product: preloaded with
// `BENCH_SUBGRAPH_CPU_FLAGS="--import ./bench/no-async-hooks.mjs"`, it makes AsyncLocalStorage's `run` call its
// callback without a store and `enterWith` do nothing in the subgraph-cpu host started for the checkout
// `NOALS_CHECKOUT`, so that host never switches Node 20's process-wide async hooks on. MikroORM's storages then
// hold nothing: fine for the bench's reads and its seeding, not for a product.
import { AsyncLocalStorage } from 'node:async_hooks';

if (process.argv[2] === 'host' && process.argv[3] === process.env.NOALS_CHECKOUT) {
  AsyncLocalStorage.prototype.run = function (_store, cb, ...args) {
    return cb(...args);
  };
  AsyncLocalStorage.prototype.enterWith = function () {};
  process.stderr.write('no-async-hooks: AsyncLocalStorage is inert in this host\n');
}
