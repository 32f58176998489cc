// `faxvault open`: check and decrypt a FAXNIKS envelope addressed to me (docs/FAXNIKS.md §5.4).
import type { Command } from '../command.ts';
import { CommandFailure, UsageError } from '../command.ts';
import { intOption, parseArgs } from '../args.ts';
import { openMessage } from '../../firmware/crypto/envelope-open.ts';
import type { EnvelopeError } from '../../firmware/crypto/envelope.ts';
import { canonicalIdentity } from '../../firmware/crypto/identity.ts';
import { aeadName, suiteName } from '../../firmware/crypto/suites.ts';
import { nodeCryptoAccel } from '../../host/crypto/node-accel.ts';
import { keyring, readInput } from './seal.ts';
import { FileReplayCache, ReplayFileError } from '../../host/crypto/replay-file.ts';
import { LockBusyError, withLock } from '../../host/files/lock.ts';
import { OutputError, checkOutputs, writeOutputs } from '../../host/files/output.ts';
import { describeFsError } from '../../host/files/errors.ts';

const DEFAULT_MAX_AGE_S = 30 * 86400;

const help = `usage: faxvault open --key MY.key[,OLDER.key] [options] IN OUT

Checks the envelope IN (addressed to me, not from me, a suite and epoch I hold, every tag, no
truncation, nothing after the last segment) and writes the plaintext to OUT only when all of it
authenticates. Prints the sender and the header on stderr.

  --key FILES      my key file(s), comma-separated (older epochs open older messages)
  --from IDENTITY  refuse the envelope unless it comes from IDENTITY
  --max-age SECS   the time window: refuse envelopes whose timestamp is older than this
                   (default ${DEFAULT_MAX_AGE_S} = 30 days) or more than 5 minutes ahead
  --replay-cache FILE
                   where the (sender, salt) of every envelope opened in the window is kept, so
                   a copy opened again is refused as a replay (default: the first key file's
                   name + .replay, mode 0600)
  --force          replace OUT if it exists
OUT gets mode 0600 (it is the plaintext). Exit status 1 and no OUT when any check fails.`;

const command: Command = {
  name: 'open',
  summary: 'check and decrypt a FAXNIKS envelope addressed to me',
  help,
  run(argv) {
    const args = parseArgs(argv, { key: 'value', from: 'value', 'max-age': 'value', 'replay-cache': 'value', force: 'flag' });
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
    const maxAgeMs = (intOption(args, 'max-age', 1, 10 * 365 * 86400) ?? DEFAULT_MAX_AGE_S) * 1000;
    const force = args.opts.force === true;
    const cachePath = (args.opts['replay-cache'] as string | undefined) ?? String(args.opts.key).split(',')[0].trim() + '.replay';
    try {
      checkOutputs([out], force);
    } catch (e) {
      if (e instanceof OutputError) throw new CommandFailure(e.message);
      throw e;
    }
    const env = readInput(inp);
    // One open at a time per cache: two copies of one envelope opened at once must not both pass.
    try {
      return withLock(cachePath + '.lock', `the replay cache ${cachePath}`, () => {
        const replay = new FileReplayCache(cachePath);
        const now = Date.now();
        let r;
        try {
          r = openMessage(
            {
              agreements: ring, cache: null, accel: nodeCryptoAccel, suitesFor: null, aeads: null, now,
              maxAgeMs, maxFutureMs: 300_000, expectChallenge: null, replay,
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
        writeOutputs([{ path: out, data: r.plain }], { force, mode: 0o600 });
        replay.save(now - maxAgeMs);
        const h = r.header;
        console.error(`from ${h.sender} to ${h.recipient}: ${r.plain.length} bytes, ${suiteName(h.suite)} epoch ${h.epoch}, ${aeadName(h.aead)}, content ${h.contentType}, sent ${new Date(h.timestamp).toISOString()}`);
        return 0;
      });
    } catch (e) {
      if (e instanceof OutputError || e instanceof ReplayFileError || e instanceof LockBusyError) throw new CommandFailure(e.message);
      if ((e as NodeJS.ErrnoException).syscall) throw new UsageError(`replay cache ${cachePath}: ${describeFsError(e)}`);
      throw e;
    }
  },
};

export default command;
