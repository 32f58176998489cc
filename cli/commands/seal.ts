// `faxvault seal`: encrypt a file for one identity in a FAXNIKS envelope (docs/FAXNIKS.md §5).
import { randomFillSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { OutputError, checkOutputs, writeOutputs } from '../../host/files/output.ts';
import { describeFsError } from '../../host/files/errors.ts';
import type { Command } from '../command.ts';
import { CommandFailure, UsageError } from '../command.ts';
import { intOption, parseArgs } from '../args.ts';
import {
  CONTENT_DOCUMENT, CONTENT_FILE, CONTENT_NOTICE, CONTENT_REQUEST, CONTENT_TEXT_PART, DEFAULT_SEGMENT, MAX_SEGMENT, MIN_SEGMENT, sealMessage,
} from '../../firmware/crypto/envelope.ts';
import { canonicalIdentity } from '../../firmware/crypto/identity.ts';
import { AEAD_AES256CTR_HMAC_SHA256, AEAD_CHACHA20_POLY1305, SUITE_POLY_GF128, SUITE_SOK_BLS12381 } from '../../firmware/crypto/suites.ts';
import { KeyFileError } from '../../host/crypto/keyfile.ts';
import { loadKeyring } from '../../host/crypto/keyring.ts';
import { nodeCryptoAccel } from '../../host/crypto/node-accel.ts';
import type { KeyAgreement } from '../../firmware/crypto/keys.ts';

export const CONTENT_TYPES: Record<string, number> = {
  file: CONTENT_FILE, notice: CONTENT_NOTICE, request: CONTENT_REQUEST, document: CONTENT_DOCUMENT, text: CONTENT_TEXT_PART,
};

const help = `usage: faxvault seal --key MY.key --to IDENTITY [options] IN OUT

Encrypts IN for IDENTITY into the FAXNIKS envelope OUT. No message is exchanged with the
recipient first: the key comes from MY.key and the recipient's identity (ID-NIKS).

  --key FILE       my key file (faxvault center issue)
  --to IDENTITY    recipient, canonical or not (mail:Bob@Example.com is accepted)
  --suite S        poly or sok (default: poly when the key file has it)
  --aead A         chacha (ChaCha20-Poly1305, default) or aes (AES-256-CTR + HMAC-SHA-256)
  --content T      file (default), notice, request, document, text
  --segment N      plaintext bytes per segment, ${MIN_SEGMENT}..${MAX_SEGMENT} (default ${DEFAULT_SEGMENT})
  --force          replace OUT if it exists`;

export function keyring(list: string | undefined): KeyAgreement[] {
  try {
    return loadKeyring(list);
  } catch (e) {
    if (e instanceof KeyFileError) throw new UsageError(e.message);
    throw e;
  }
}

export function refuseOverwrite(out: string, force: boolean): void {
  try {
    checkOutputs([out], force);
  } catch (e) {
    if (e instanceof OutputError) throw new CommandFailure(e.message);
    throw e;
  }
}

export function readInput(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new CommandFailure(`cannot read ${path}: ${describeFsError(e)}`);
  }
}

const command: Command = {
  name: 'seal',
  summary: 'encrypt a file for an identity (FAXNIKS envelope)',
  help,
  run(argv) {
    const args = parseArgs(argv, { key: 'value', to: 'value', suite: 'value', aead: 'value', content: 'value', segment: 'value', force: 'flag' });
    if (args.positional.length !== 2) throw new UsageError('need IN and OUT (two file names)');
    const [inp, out] = args.positional;
    const ring = keyring(args.opts.key as string | undefined);
    const toArg = args.opts.to as string | undefined;
    if (!toArg) throw new UsageError('--to IDENTITY is required');
    let to: string;
    try {
      to = canonicalIdentity(toArg);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const suiteArg = (args.opts.suite as string | undefined) ?? (ring.some((k) => k.suite === SUITE_POLY_GF128) ? 'poly' : 'sok');
    const suite = suiteArg === 'poly' ? SUITE_POLY_GF128 : suiteArg === 'sok' ? SUITE_SOK_BLS12381 : -1;
    if (suite < 0) throw new UsageError(`--suite must be poly or sok (got '${suiteArg}')`);
    const candidates = ring.filter((k) => k.suite === suite).sort((a, b) => b.epoch - a.epoch);
    if (candidates.length === 0) throw new UsageError(`the key file holds no ${suiteArg} key`);
    const aeadArg = (args.opts.aead as string | undefined) ?? 'chacha';
    const aead = aeadArg === 'chacha' ? AEAD_CHACHA20_POLY1305 : aeadArg === 'aes' ? AEAD_AES256CTR_HMAC_SHA256 : -1;
    if (aead < 0) throw new UsageError(`--aead must be chacha or aes (got '${aeadArg}')`);
    const contentArg = (args.opts.content as string | undefined) ?? 'file';
    const contentType = CONTENT_TYPES[contentArg];
    if (!contentType) throw new UsageError(`--content must be one of ${Object.keys(CONTENT_TYPES).join(', ')} (got '${contentArg}')`);
    const segmentSize = intOption(args, 'segment', MIN_SEGMENT, MAX_SEGMENT) ?? DEFAULT_SEGMENT;
    if (candidates[0].identity === to) throw new UsageError(`--to ${to} is my own identity`);
    refuseOverwrite(out, args.opts.force === true);
    const plain = readInput(inp);
    const env = sealMessage(
      {
        agreement: candidates[0], to, aead, contentType, timestamp: Date.now(), challenge: null, segmentSize,
        entropy: { fill: (b) => randomFillSync(b) }, cache: null, accel: nodeCryptoAccel,
      },
      plain,
    );
    try {
      writeOutputs([{ path: out, data: env }], { force: args.opts.force === true, mode: 0o644 });
    } catch (e) {
      if (e instanceof OutputError) throw new CommandFailure(e.message);
      throw e;
    }
    console.error(`sealed ${plain.length} bytes from ${candidates[0].identity} to ${to} (epoch ${candidates[0].epoch}, ${suiteArg}, ${aeadArg}) -> ${out}`);
    return 0;
  },
};

export default command;
