// Known-answer checks that run on the device itself (`faxvault.selftest()` in the device bundle)
// and under Node from the same bundle in the test suite. Each concern contributes a list of
// checks from its own folder; registry.ts gathers them.

export interface SelfCheck {
  /** Short name shown in the report, e.g. `kernel: priorities`. */
  name: string;
  /** Returns null when the check passes, else a one-line reason. Must not throw on success. */
  run: () => string | null;
}

export interface SelfTestReport {
  passed: number;
  failed: number;
  lines: string[];
}

/** Runs every check; a thrown exception counts as a failure with its message. */
export function runSelfTest(checks: SelfCheck[], print: (line: string) => void): SelfTestReport {
  const report: SelfTestReport = { passed: 0, failed: 0, lines: [] };
  for (let i = 0; i < checks.length; i++) {
    const c = checks[i];
    let why: string | null;
    try {
      why = c.run();
    } catch (e) {
      why = 'threw ' + String(e && (e as Error).message ? (e as Error).message : e);
    }
    const line = (why === null ? 'ok   ' : 'FAIL ') + c.name + (why === null ? '' : ': ' + why);
    report.lines.push(line);
    print(line);
    if (why === null) report.passed++;
    else report.failed++;
  }
  const total = report.passed + ' passed, ' + report.failed + ' failed';
  report.lines.push(total);
  print(total);
  return report;
}
