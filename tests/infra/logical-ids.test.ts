/**
 * The API stack's constructs (issue 13's split) kept the logical IDs their resources had as
 * direct children of the stack: CloudFormation would replace a renamed resource, and the
 * dead-letter queues and the retained access log group hold data.
 */
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LogicalGroup, logicalIdSkippingGroups } from '#infra/logical-ids.ts';
import { type Synthesised, synthesise } from './support.ts';

let synth: Synthesised;
beforeAll(() => {
  synth = synthesise();
}, 120_000);

class GroupingStack extends Stack {
  protected override allocateLogicalId(element: CfnElement): string {
    return logicalIdSkippingGroups(element);
  }
}

describe('logical IDs after the split', () => {
  it('gives a resource inside a LogicalGroup the ID it has as a direct child of the stack', () => {
    const app = new App();
    const flat = new Stack(app, 'Flat');
    new LogGroup(flat, 'AccessLogs');
    new LogGroup(new Construct(flat, 'Scope'), 'Nested');
    const grouped = new GroupingStack(app, 'Grouped');
    new LogGroup(new LogicalGroup(grouped, 'Front'), 'AccessLogs');
    new LogGroup(new Construct(new LogicalGroup(grouped, 'Outer'), 'Scope'), 'Nested');
    const ids = (stack: Stack) => Object.keys(app.synth().getStackByName(stack.stackName).template.Resources);
    expect(ids(grouped)).toEqual(ids(flat));
    // A plain construct still counts, as in CDK: only groups are skipped.
    expect(ids(flat)[1]).toMatch(/^ScopeNested/);
  });

  it('keeps the API stack IDs of the API, access logs, workers, rules and dead-letter queues', () => {
    // The IDs these resources had before the constructor was split into constructs.
    const before = {
      'AWS::ApiGatewayV2::Api': ['ApiF70053CD'],
      'AWS::Logs::LogGroup': ['AccessLogs8B620ECA'],
      'AWS::SQS::Queue': [
        'AnnouncePublicationsDeadLettersC747AA3B',
        'ExportDeadLettersF276E8C7',
        'RankingDeadLetters7654F246',
        'RepairVisitsDeadLetters1BF4B5AA',
      ],
      'AWS::Events::Rule': [
        'AnnouncePublicationsScheduleD72D1C2A',
        'ExportRequestedRuleB1C4A38D',
        'RepairVisitsScheduleC514DE66',
        'ScoresPublishedRule5FF54620',
      ],
      'AWS::Lambda::Function': ['NotFoundFunctionB32ED0CE', 'runExportFunctionB911BDCC'],
    };
    for (const [type, logicalIds] of Object.entries(before)) {
      const present = Object.keys(synth.apiTemplate.findResources(type));
      for (const logicalId of logicalIds) expect(present, type).toContain(logicalId);
    }
  });
});
