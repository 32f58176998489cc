// `faxvault center`: the FAXNIKS key center (docs/FAXNIKS.md §6).
import type { Command } from '../command.ts';
import { CommandFailure, UsageError } from '../command.ts';
import { intOption, parseArgs } from '../args.ts';
import { CenterError, DEFAULT_T, describeCenter, initCenter, issueKey, parseSuites, rekeyCenter } from '../../host/crypto/center.ts';
import { KeyFileError } from '../../host/crypto/keyfile.ts';

const help = `usage: faxvault center init  [--dir DIR] [--suites poly,sok] [--t N] [--epoch N]
       faxvault center issue IDENTITY --out FILE [--dir DIR] [--force] [--reissue]
       faxvault center list  [--dir DIR]
       faxvault center rekey [--dir DIR] [--epoch N]

The FAXNIKS key center. DIR (default ./faxniks-center, or $FAXVAULT_CENTER) holds master.json
(the master secret, mode 0600: whoever reads it can compute every key) and registry.json.

  init    create the center: suites (default poly,sok), threshold t for POLY-GF128 (default
          ${DEFAULT_T}; choose t ≥ 4× the planned population), first epoch (default 1)
  issue   write IDENTITY's key file (mode 0600) for the current epoch. IDENTITY is canonical:
          mail:user@example.com, host:fax.example.com, mac:001a2b3c4d5e, ip4:192.0.2.7.
          Refused: an identity already issued in this epoch (unless --reissue), and with POLY
          the (t+1)-th identity of the epoch (t+1 shares reveal every key). An existing FILE
          is never replaced unless --force. The identity is recorded in registry.json before
          the key file is written; concurrent commands wait for each other (registry.lock).
  --reissue
          write an already issued identity's key file again (a lost file): the same share, so
          nothing new is revealed and t is not used up; the registry records each re-issue
  list    suites, t, epochs and the identities issued in each
  rekey   start a new epoch (default current+1) with a fresh master secret; every entity
          then needs a new key file`;

function wrap<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    // A refusal of the center (exit 2); a key file that cannot be written (exit 1).
    if (e instanceof CenterError) throw new UsageError(e.message);
    if (e instanceof KeyFileError) throw new CommandFailure(e.message);
    throw e;
  }
}

const command: Command = {
  name: 'center',
  summary: 'FAXNIKS key center: init, issue key files, list, rekey',
  help,
  run(argv) {
    const args = parseArgs(argv, { dir: 'value', suites: 'value', t: 'value', epoch: 'value', out: 'value', force: 'flag', reissue: 'flag' });
    const [sub, ...rest] = args.positional;
    const dir = (args.opts.dir as string) ?? process.env.FAXVAULT_CENTER ?? 'faxniks-center';
    switch (sub) {
      case 'init': {
        if (rest.length) throw new UsageError(`init takes no argument (got ${rest.join(' ')})`);
        const suites = wrap(() => parseSuites((args.opts.suites as string) ?? 'poly,sok'));
        const t = intOption(args, 't', 1, 1023) ?? DEFAULT_T;
        const epoch = intOption(args, 'epoch', 1, 0xffffffff) ?? 1;
        const r = wrap(() => initCenter(dir, { suites, t, epoch }));
        console.log(`center ${r.center} created in ${dir}: suites ${suites.join(',')}, t = ${t}, epoch ${epoch}`);
        console.log(`keep ${dir}/master.json secret (mode 0600): it computes every key.`);
        return 0;
      }
      case 'issue': {
        if (rest.length !== 1) throw new UsageError('issue needs exactly one IDENTITY (e.g. mail:alice@example.com)');
        const out = args.opts.out as string | undefined;
        if (!out) throw new UsageError('issue needs --out FILE (the key file to write)');
        const kf = wrap(() => issueKey(dir, rest[0], { out, force: args.opts.force === true, reissue: args.opts.reissue === true }));
        const suites = [kf.poly ? `POLY-GF128 t=${kf.poly.t}` : '', kf.sok ? 'SOK-BLS12381' : ''].filter(Boolean).join(', ');
        console.log(`${args.opts.reissue ? 're-' : ''}issued ${kf.identity} for epoch ${kf.epoch} (${suites}) -> ${out}`);
        return 0;
      }
      case 'list': {
        for (const l of wrap(() => describeCenter(dir))) console.log(l);
        return 0;
      }
      case 'rekey': {
        const e = intOption(args, 'epoch', 1, 0xffffffff);
        const n = wrap(() => rekeyCenter(dir, e ?? undefined));
        console.log(`epoch ${n} started; issue new key files for every entity`);
        return 0;
      }
      default:
        throw new UsageError(sub ? `unknown subcommand '${sub}' (init, issue, list, rekey)` : 'missing subcommand (init, issue, list, rekey)');
    }
  },
};

export default command;
