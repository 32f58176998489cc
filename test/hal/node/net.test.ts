import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as net from 'node:net';
import { NodeNet } from '../../../hal/node/net.ts';

test('a real TCP exchange on loopback through the HAL interface', async () => {
  const hal = new NodeNet('127.0.0.1');
  // Find a free port first.
  const port: number = await new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const listener = hal.listen(port, (sock) => {
    sock.onReadable = () => {
      const got = new TextDecoder().decode(sock.read(1000));
      sock.write(new TextEncoder().encode(`echo ${got}`));
      sock.close();
    };
  });
  const reply = await new Promise<string>((resolve, reject) => {
    const c = hal.connect('127.0.0.1', port);
    let text = '';
    c.onConnect = () => c.write(new TextEncoder().encode('ping'));
    c.onReadable = () => (text += new TextDecoder().decode(c.read(1000)));
    c.onClose = (err) => (err ? reject(new Error(err)) : resolve(text));
  });
  listener.close();
  assert.is(reply, 'echo ping');
});

test('a refused connection reports why', async () => {
  const hal = new NodeNet();
  const err = await new Promise<string | null>((resolve) => {
    const c = hal.connect('127.0.0.1', 1);
    c.onClose = resolve;
  });
  assert.match(String(err), /connection failed: .*ECONNREFUSED/);
});

test.run();
