import xmlbuilder from 'xmlbuilder';
import { replayCommand } from './command.ts';
import { summaryLine, type RunSummary, type ScenarioSummary } from './summary.ts';

/**
 * The run as JUnit XML, the format every CI server reads: one testsuite,
 * one testcase per scenario (its file as the class name), a failure for a
 * scenario that did not meet its expectation with the text report as its
 * body (the replay line included), the expected bugs' reports as the
 * testcase's output, and the seed, strategy and budget as properties.
 * Scenarios an interrupted run never reached are skipped testcases. No
 * timestamp or host name, so the same run gives the same bytes.
 */
export function renderJUnit(run: RunSummary, reportOf: (scenario: ScenarioSummary) => string | undefined): string {
  const notExplored = run.notExplored ?? [];
  const tests = run.scenarios.length + notExplored.length;
  const skipped = notExplored.length;
  const seconds = (ms: number): string => (ms / 1000).toFixed(3);
  const total = run.elapsedMs ?? run.scenarios.reduce((sum, s) => sum + s.elapsedMs, 0);
  // XML 1.0 cannot carry some control characters at all; a scenario's name or an item may hold one.
  const root = xmlbuilder.create('testsuites', { version: '1.0', encoding: 'UTF-8' }, {}, { invalidCharReplacement: '\uFFFD' });
  root.att({ name: 'interleave', tests, failures: run.failed, errors: 0, skipped, time: seconds(total) });
  const suite = root.ele('testsuite', { name: 'interleave', tests, failures: run.failed, errors: 0, skipped, time: seconds(total) });
  const suiteProperties = [
    ['seed', run.seed],
    ['workers', run.workers],
    ['shard', run.shard === undefined ? undefined : `${run.shard.index}/${run.shard.count}`],
    ['interrupted', run.interrupted === true ? 'true' : undefined],
  ].filter((p): p is [string, string | number] => p[1] !== undefined);
  if (suiteProperties.length > 0) {
    const properties = suite.ele('properties');
    for (const [name, value] of suiteProperties) properties.ele('property', { name, value });
  }
  for (const s of run.scenarios) {
    const testcase = suite.ele('testcase', { name: s.scenario, classname: s.file ?? 'interleave', time: seconds(s.elapsedMs) });
    const properties = testcase.ele('properties');
    for (const [name, value] of scenarioProperties(s)) properties.ele('property', { name, value });
    const report = reportOf(s);
    if (s.verdict === 'fail') {
      const body = report ?? [summaryLine(s), s.message, s.replay === undefined ? undefined : `Replay it:    ${replayCommand(s.replay, s.file)}`].filter((l) => l !== undefined).join('\n');
      testcase.ele('failure', { message: summaryLine(s), type: s.kind ?? 'expected-failure-not-found' }).txt(body);
    } else if (s.verdict === 'incomplete') {
      testcase.ele('failure', { message: summaryLine(s), type: 'incomplete' }).txt(summaryLine(s));
    } else if (report !== undefined) {
      testcase.ele('system-out').txt(report);
    }
  }
  for (const s of notExplored) {
    suite.ele('testcase', { name: s.scenario, classname: s.file ?? 'interleave', time: seconds(0) }).ele('skipped', { message: 'not explored: the run was interrupted' });
  }
  // Characters XML may carry but a terminal would act on (C1 controls such as the CSI U+009B, bidirectional overrides):
  // written as character references, which every XML reader turns back into them, and a terminal shows as text.
  return `${root.end({ pretty: true }).replace(/[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`)}\n`;
}

function scenarioProperties(s: ScenarioSummary): [string, string | number][] {
  const expected = s.expected === 'ok' ? 'ok' : s.expected.join(',');
  const entries: [string, string | number | undefined][] = [
    ['seed', s.seed],
    ['strategy', s.strategy],
    ['executions', s.executions],
    ['steps', s.steps],
    ['expected', expected],
    ['kind', s.kind],
    ['replay', s.replay],
    ['exhausted', s.exhausted ? 'true' : undefined],
    ['interrupted', s.interrupted === true ? 'true' : undefined],
    ['proved', s.proved === undefined ? undefined : String(s.proved)],
    ['partialOrders', s.partialOrders],
    ['assumption', s.assumption],
  ];
  return entries.filter((e): e is [string, string | number] => e[1] !== undefined);
}
