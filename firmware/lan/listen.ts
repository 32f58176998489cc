// Listening on lan.listen for box owners' computers: the LAN service when it runs alone (tests),
// or the resident gate that loads the service for each connection (firmware/app/lan-gate.ts).
import type { Net, TcpListener, TcpSocket } from '../../hal/net.ts';

/** The listener, or null (port 0: deliveries still go out; a port taken: said in the trace). */
export function listenForOwners(net: Net, port: number, identity: string, onSocket: (sock: TcpSocket) => void, trace: (text: string) => void): TcpListener | null {
  if (!port) {
    trace('lan.listen is 0: not listening (deliveries still go out)');
    return null;
  }
  try {
    const l = net.listen(port, onSocket);
    trace('listening on port ' + port + ' as ' + identity);
    return l;
  } catch (e) {
    trace('cannot listen on port ' + port + ': ' + (e as Error).message);
    return null;
  }
}
