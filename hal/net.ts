// TCP client and server, non-blocking, callback style (ECMA-419 TCP/Listener shape).

export interface TcpSocket {
  write(bytes: Uint8Array): number;
  read(max: number): Uint8Array;
  readable(): number;
  close(): void;
  /** Remote address as text (ip:port). */
  remote(): string;
  onConnect: (() => void) | null;
  onReadable: (() => void) | null;
  onWritable: (() => void) | null;
  onClose: ((error: string | null) => void) | null;
}

export interface TcpListener {
  close(): void;
}

export interface Net {
  connect(host: string, port: number): TcpSocket;
  listen(port: number, onAccept: (sock: TcpSocket) => void): TcpListener;
  /** The appliance's own address on the LAN (for discovery and the `host:`/`ip4:` identity). */
  localAddress(): string;
}
