import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { SupergraphSdlHook } from '@apollo/gateway';
import type { Logger } from '@cockpit/kit/edge';

/**
 * Loads the supergraph from a file (watched) or an http(s) URL (polled) and
 * hands updates to the gateway; a broken update is logged and the last good
 * supergraph keeps serving.
 */
export function supergraphSource(location: string, log: Logger, pollMs = 10_000): SupergraphSdlHook {
  const isUrl = /^https?:\/\//.test(location);
  const load = async () =>
    isUrl ? (await fetch(location, { signal: AbortSignal.timeout(10_000) })).text() : readFileSync(location, 'utf8');
  return async ({ update }) => {
    let current = await load();
    const refresh = async () => {
      try {
        const next = await load();
        if (next === current) return;
        update(next); // throws when the new supergraph is unusable; we keep serving the old one
        current = next;
        log.info('supergraph reloaded');
      } catch (err) {
        log.error({ err: (err as Error).message }, 'supergraph update rejected; still serving the last good one');
      }
    };
    let timer: NodeJS.Timeout | undefined;
    if (isUrl) {
      timer = setInterval(refresh, pollMs);
      timer.unref();
    } else watchFile(location, { interval: 1000 }, refresh);
    return {
      supergraphSdl: current,
      cleanup: async () => {
        if (timer) clearInterval(timer);
        else unwatchFile(location);
      },
    };
  };
}
