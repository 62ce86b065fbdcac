import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * GraphiQL for browsers on `GET /graphql`, served from the npm packages'
 * prebuilt bundles (graphiql 3's UMD build on React 18), so it works with no
 * network beyond the gateway. The Authorization header goes in the Headers
 * pane and is not persisted in the browser's storage.
 */
export const GRAPHIQL_PREFIX = '/graphiql/';

const JS = 'text/javascript; charset=utf-8';
const ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', type: JS },
  'react-dom.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: JS },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: JS },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css; charset=utf-8' },
};

/** A package's folder (their `exports` hide the UMD files from require.resolve). */
function packageDir(pkg: string): string {
  const marker = `${sep}node_modules${sep}${pkg}${sep}`;
  const entry = require.resolve(pkg);
  return join(entry.slice(0, entry.lastIndexOf(marker)), 'node_modules', pkg);
}

const INIT = `(function () {
  var url = location.pathname;
  var fetcher = GraphiQL.createFetcher({ url: url });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultHeaders: JSON.stringify({ Authorization: 'Bearer ' }, null, 2),
      headerEditorEnabled: true,
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: 'headers',
      defaultQuery: '# Your credential goes in Headers below\\n{\\n  viewer {\\n    subject\\n    roles\\n  }\\n}\\n',
    }),
  );
})();
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Cockpit GraphiQL</title>
<link rel="stylesheet" href="${GRAPHIQL_PREFIX}graphiql.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="${GRAPHIQL_PREFIX}react.js"></script>
<script src="${GRAPHIQL_PREFIX}react-dom.js"></script>
<script src="${GRAPHIQL_PREFIX}graphiql.js"></script>
<script src="${GRAPHIQL_PREFIX}init.js"></script>
</body>
</html>
`;

// Only the gateway's own files run; the page's one inline style is the layout above.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:";

/** Serves GraphiQL's page and assets; each asset is read from node_modules once, on first use. */
export function graphiqlHandler() {
  const cache = new Map<string, Buffer>();
  const asset = (name: string): { body: Buffer | string; type: string } | undefined => {
    if (name === 'init.js') return { body: INIT, type: JS };
    const a = ASSETS[name];
    if (!a) return undefined;
    let body = cache.get(name);
    if (!body) cache.set(name, (body = readFileSync(join(packageDir(a.pkg), a.file))));
    return { body, type: a.type };
  };
  return {
    /** A browser navigating to the endpoint (not a GraphQL GET, which carries `?query=`). */
    wantsPage(req: IncomingMessage, url: URL): boolean {
      return req.method === 'GET' && !url.searchParams.has('query') && /\btext\/html\b/.test(req.headers.accept ?? '');
    },
    page(res: ServerResponse) {
      send(res, 200, PAGE, 'text/html; charset=utf-8', 'no-cache');
    },
    /** True when `path` was a GraphiQL asset (answered). */
    asset(path: string, res: ServerResponse): boolean {
      const a = asset(path.slice(GRAPHIQL_PREFIX.length));
      if (!a) return false;
      send(res, 200, a.body, a.type, 'public, max-age=3600');
      return true;
    },
  };
}

function send(res: ServerResponse, status: number, body: Buffer | string, type: string, cache: string) {
  res.statusCode = status;
  res.setHeader('content-type', type);
  res.setHeader('cache-control', cache);
  res.setHeader('content-security-policy', CSP);
  res.setHeader('x-content-type-options', 'nosniff');
  res.end(body);
}
