/**
 * CORS headers only where they mean something. A request without an `Origin` header is not a cross-origin request
 * (curl, a server, a same-origin page's GET), so its answer carries no `Access-Control-*` header. Strapi 5.54's
 * strapi::cors (which Strapi requires in the list) answers such a request `Access-Control-Allow-Origin:` with an empty
 * value — its `*`, with credentials, becomes the missing origin — and `Access-Control-Allow-Credentials: true`. This
 * middleware runs right after it and takes those headers away again before the request goes on; its `Vary: Origin`
 * stays, so a cache never hands such an answer to a cross-origin caller. Requests with an Origin are left as
 * strapi::cors answers them.
 */

type Context = {
  get: (name: string) => string;
  response: { headers: Record<string, unknown> };
  remove: (name: string) => void;
};

export default () => {
  return async (ctx: Context, next: () => Promise<void>) => {
    if (ctx.get('Origin') === '') {
      for (const name of Object.keys(ctx.response.headers))
        if (name.toLowerCase().startsWith('access-control-')) ctx.remove(name);
    }
    await next();
  };
};
