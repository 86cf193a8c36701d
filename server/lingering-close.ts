// When the server ends a connection while the client is still sending a body (an upload refused
// part-way: 413, 507), closing the socket at once makes the client's TCP stack receive a reset for the
// bytes still coming, and a reset throws away the answer the client had not read yet: it learns only
// "connection reset", never the refusal. As nginx's lingering close does, the sending side is closed
// and whatever still arrives is read and dropped for a short while, so the client reads the answer.
import type http from 'node:http';
import type { Socket } from 'node:net';

/** How long a refused client may keep sending before the connection is cut. */
const LINGER_MS = 2000;

export function lingerBeforeClosing(server: http.Server): void {
  /** Each connection's latest request, whose body is the one still arriving. */
  const latest = new WeakMap<Socket, http.IncomingMessage>();
  server.on('request', (request: http.IncomingMessage) => {
    const socket = request.socket;
    const seen = latest.has(socket);
    latest.set(socket, request);
    if (seen) return;
    // Node's HTTP server calls destroySoon when it ends a connection after an answer ("Connection: close").
    socket.destroySoon = function lingeringDestroySoon(this: Socket) {
      if (this.writable) this.end();
      const timer = setTimeout(() => this.destroy(), LINGER_MS).unref();
      this.once('close', () => clearTimeout(timer));
      // Done once the client has sent all it had or closed its end.
      this.once('end', () => this.destroy());
      // The body's reader (a multipart parser) has given up on it: from here it is read only to be dropped.
      const request = latest.get(this);
      request?.unpipe();
      request?.resume();
      this.resume();
      return this;
    } as Socket['destroySoon'];
  });
}
