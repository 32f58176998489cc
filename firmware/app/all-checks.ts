// Every self-check the device bundle carries. Each concern exports its own list from its folder
// (`firmware/<concern>/selftest.ts`); add one import and one entry here. The list lives in app/,
// above every concern it gathers (firmware/selftest/ holds only the contract and the runner,
// which every concern's checks import: docs/LAYERING.md).
import type { SelfCheck } from '../selftest/selftest.ts';
import { kernelChecks } from '../kernel/selftest.ts';
import { t4Checks } from '../fax/t4/selftest.ts';
import { cryptoChecks } from '../crypto/selftest.ts';
import { storeChecks } from '../store/selftest.ts';
import { printChecks } from '../print/selftest.ts';
import { faxLineChecks } from '../fax/t30/selftest.ts';
import { mailChecks } from '../mail/selftest.ts';

export function allChecks(): SelfCheck[] {
  return ([] as SelfCheck[]).concat(kernelChecks(), t4Checks(), cryptoChecks(), storeChecks(), printChecks(), faxLineChecks(), mailChecks());
}
