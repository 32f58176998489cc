// TCP client and server, non-blocking, callback style (ECMA-419 TCP/Listener shape).

export interface TcpSocket {
  write(bytes: Uint8Array): number;
  /**
   * Bytes written and not yet handed to the network, where the stack can tell (optional). When
   * it said more than 0, onWritable comes once they have gone: a streaming writer can wait for
   * that before it makes its next piece, holding one piece at a time.
   */
  pending?: () => number;
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
  /**
   * A TLS client connection (implicit TLS: SMTPS 465, POP3S 995, RFC 8314). Absent when the
   * stack has no TLS; the mail clients then refuse smtps:/pop3s: settings with a clear error.
   */
  connectTls?: (host: string, port: number) => TcpSocket;
  /**
   * Continue a connected socket under TLS (STARTTLS, RFC 3207; POP3 STLS, RFC 2595). Absent when
   * the stack cannot; the old socket must not be used afterwards.
   */
  startTls?: (sock: TcpSocket, host: string) => TcpSocket;
}
