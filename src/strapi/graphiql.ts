import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';

/**
 * An offline GraphQL explorer at /graphiql: GraphiQL's UMD build and React 18 from the app's own node_modules, an
 * HTML page and an init script served by the app (no inline script, so the app's content-security policy holds, and
 * nothing loads from a CDN: Apollo's landing page is off). On in development; GRAPHIQL_ENABLED=true in production.
 */

const ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'application/javascript' },
  'react-dom.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'application/javascript' },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'application/javascript' },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
};

/** A file of an installed package, found from its package.json (its `exports` do not list the UMD builds). */
function packageFile(pkg: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>GraphQL 查询（离线）</title>
<link rel="stylesheet" href="/graphiql/graphiql.css">
<style>html,body,#graphiql{height:100%;margin:0}</style>
</head>
<body>
<div id="graphiql">正在加载 GraphiQL…</div>
<script src="/graphiql/react.js"></script>
<script src="/graphiql/react-dom.js"></script>
<script src="/graphiql/graphiql.js"></script>
<script src="/graphiql/init.js"></script>
</body>
</html>
`;

const INIT = `(function () {
  var fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  var query = '# 在“Headers”中填入登录令牌或 API 令牌：{ "Authorization": "Bearer …" }\\n' +
    '{\\n  bulletinIssue(publication: "上街信息", year: 2020, number: 14) {\\n' +
    '    labels { issueLine date column }\\n' +
    '    issuer { fullName }\\n' +
    '    items { position section headline paragraphs attribution }\\n' +
    '    footer { label text }\\n' +
    '  }\\n}\\n';
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: query,
      defaultHeaders: '{\\n  "Authorization": "Bearer "\\n}',
      defaultEditorToolsVisibility: 'headers'
    })
  );
})();
`;

export function registerGraphiQL(strapi: Core.Strapi): void {
  if (!strapi.config.get<boolean>('bulletin.graphiql', false)) return;
  const cache = new Map<string, Buffer>();
  const asset = (name: string): Buffer => {
    let content = cache.get(name);
    if (content === undefined) {
      content = fs.readFileSync(packageFile(ASSETS[name].pkg, ASSETS[name].file));
      cache.set(name, content);
    }
    return content;
  };
  strapi.server.routes([
    {
      method: 'GET',
      path: '/graphiql',
      handler: (ctx: { type: string; body: unknown }) => {
        ctx.type = 'text/html; charset=utf-8';
        ctx.body = PAGE;
      },
      config: { auth: false },
    },
    {
      method: 'GET',
      path: '/graphiql/:file',
      handler: (ctx: {
        params: { file: string };
        type: string;
        body: unknown;
        status: number;
        set: (name: string, value: string) => void;
      }) => {
        const { file } = ctx.params;
        if (file === 'init.js') {
          ctx.type = 'application/javascript; charset=utf-8';
          ctx.body = INIT;
          return;
        }
        const known = ASSETS[file];
        if (known === undefined) {
          ctx.status = 404;
          return;
        }
        ctx.type = known.type;
        ctx.set('Cache-Control', 'public, max-age=86400');
        ctx.body = asset(file);
      },
      config: { auth: false },
    },
  ] as never);
}
