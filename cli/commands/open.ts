// `faxvault open`: check and decrypt a FAXNIKS envelope addressed to me (docs/FAXNIKS.md §5.4).
import { writeFileSync } from 'node:fs';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { intOption, parseArgs } from '../args.ts';
import { openMessage } from '../../firmware/crypto/envelope.ts';
import type { EnvelopeError } from '../../firmware/crypto/envelope.ts';
import { canonicalIdentity } from '../../firmware/crypto/identity.ts';
import { aeadName, suiteName } from '../../firmware/crypto/suites.ts';
import { nodeCryptoAccel } from '../../host/crypto/node-accel.ts';
import { keyring, readInput, refuseOverwrite } from './seal.ts';

const help = `usage: faxvault open --key MY.key[,OLDER.key] [options] IN OUT

Checks the envelope IN (addressed to me, not from me, a suite and epoch I hold, every tag, no
truncation, nothing after the last segment) and writes the plaintext to OUT only when all of it
authenticates. Prints the sender and the header on stderr.

  --key FILES      my key file(s), comma-separated (older epochs open older messages)
  --from IDENTITY  refuse the envelope unless it comes from IDENTITY
  --max-age SECS   refuse envelopes whose timestamp is older than this (or >5 min ahead)
  --force          replace OUT if it exists
Exit status 1 and no OUT when any check fails.`;

const command: Command = {
  name: 'open',
  summary: 'check and decrypt a FAXNIKS envelope addressed to me',
  help,
  run(argv) {
    const args = parseArgs(argv, { key: 'value', from: 'value', 'max-age': 'value', force: 'flag' });
    if (args.positional.length !== 2) throw new UsageError('need IN and OUT (two file names)');
    const [inp, out] = args.positional;
    const ring = keyring(args.opts.key as string | undefined);
    let from: string | null = null;
    if (args.opts.from !== undefined) {
      try {
        from = canonicalIdentity(args.opts.from as string);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    }
    const maxAge = intOption(args, 'max-age', 1, 10 * 365 * 86400);
    refuseOverwrite(out, args.opts.force === true);
    const env = readInput(inp);
    let r;
    try {
      r = openMessage(
        {
          agreements: ring, cache: null, accel: nodeCryptoAccel, suitesFor: null, aeads: null, now: Date.now(),
          maxAgeMs: maxAge ? maxAge * 1000 : 0, maxFutureMs: 300_000, expectChallenge: null, replay: null,
        },
        env,
      );
    } catch (e) {
      const code = (e as EnvelopeError).code;
      if (!code) throw e;
      console.error(`faxvault open: refused (${code}): ${(e as Error).message}`);
      return 1;
    }
    if (from && r.header.sender !== from) {
      console.error(`faxvault open: refused (sender): from ${r.header.sender}, expected ${from}`);
      return 1;
    }
    writeFileSync(out, r.plain);
    const h = r.header;
    console.error(`from ${h.sender} to ${h.recipient}: ${r.plain.length} bytes, ${suiteName(h.suite)} epoch ${h.epoch}, ${aeadName(h.aead)}, content ${h.contentType}, sent ${new Date(h.timestamp).toISOString()}`);
    return 0;
  },
};

export default command;
