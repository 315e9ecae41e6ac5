/** The server's base URL as given at enrollment, normalised: http(s), no trailing slash. */
export function normaliseServer(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new Error(`not a URL: ${input}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`server URL must be http:// or https://, not ${url.protocol}`);
  if (url.username || url.password) throw new Error('server URL must not contain credentials');
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

/** An endpoint under the server's base (which may itself have a path prefix). */
export function endpoint(server: string, path: string): string {
  return new URL(path.replace(/^\//, ''), server.replace(/\/*$/, '/')).toString();
}

/** The agent socket: ws:// for an http server, wss:// for https. */
export function connectUrl(server: string): string {
  const url = new URL(endpoint(server, 'agent/connect'));
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}
