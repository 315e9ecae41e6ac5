import WebSocket from 'ws';

interface InspectorTarget {
  id: string;
  title: string;
  webSocketDebuggerUrl: string;
}

/** A minimal DevTools-protocol session with one of workerd's isolates. */
export class Inspector {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
      if (msg.id === undefined) return;
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(msg.error.message));
      else p?.resolve(msg.result);
    });
  }

  /** Lists the inspectable isolates and attaches to the one whose title mentions `name`. */
  static async attach(port: number, name: string): Promise<{ inspector: Inspector; targets: string[] }> {
    const list = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as InspectorTarget[];
    const target = list.find((t) => t.title.includes(name) || t.id.includes(name));
    if (!target) throw new Error(`no inspector target for ${name}: ${list.map((t) => t.title).join(', ')}`);
    const url = target.webSocketDebuggerUrl.startsWith('ws') ? target.webSocketDebuggerUrl : `ws://127.0.0.1:${port}/${target.id}`;
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1024 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return { inspector: new Inspector(ws), targets: list.map((t) => t.title) };
  }

  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.ws.close();
  }
}
