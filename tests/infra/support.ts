/**
 * Synthesises the real app once per test file, without bundling (context
 * `aws:cdk:bundling-stacks: []`), and offers helpers to read what it produced.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CfnResource, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { buildApp, type ParInspectApp } from '#infra/build.ts';
import { flattenReference } from '#infra/nag.ts';

export const testOrigins = ['https://forms.example.gov.vn', 'https://manager.example.gov.vn'];

export interface Synthesised extends ParInspectApp {
  readonly dataTemplate: Template;
  readonly apiTemplate: Template;
  readonly webTemplate: Template;
}

/**
 * A stand-in for web/dist: the tests check how the build is uploaded, not the build itself, and
 * a clean clone has no build (Vite takes seconds).
 */
export function fakeWebDist(): string {
  const dist = mkdtempSync(join(tmpdir(), 'par-inspect-web-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>par-inspect</title>');
  writeFileSync(join(dist, 'sw.js'), '');
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), '');
  return dist;
}

export function synthesise(context: Record<string, unknown> = {}): Synthesised {
  const built = buildApp({
    context: { 'aws:cdk:bundling-stacks': [], demo: true, allowedOrigins: testOrigins.join(','), ...context },
    outdir: mkdtempSync(join(tmpdir(), 'par-inspect-cdk-')),
    env: { account: '111122223333', region: 'ap-southeast-1' },
    webDist: fakeWebDist(),
  });
  // One synthesis for the whole file; it also runs the cdk-nag plugin and throws on findings.
  const assembly = built.app.synth();
  return {
    ...built,
    dataTemplate: Template.fromJSON(assembly.getStackByName(built.stateful.stackName).template),
    apiTemplate: Template.fromJSON(assembly.getStackByName(built.api.stackName).template),
    webTemplate: Template.fromJSON(assembly.getStackByName(built.web.stackName).template),
  };
}

/** The logical ID of a construct's CloudFormation resource (its default child, or itself). */
export function logicalIdOf(stack: Stack, construct: IConstruct): string {
  const resource = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild;
  if (!resource || !CfnResource.isCfnResource(resource))
    throw new Error(`${construct.node.path} has no resource`);
  return stack.getLogicalId(resource);
}

/** A resource's properties from a template, by logical ID. */
export function propertiesOf(template: Template, logicalId: string): Record<string, unknown> {
  const resources = template.toJSON().Resources as Record<string, { Properties?: Record<string, unknown> }>;
  const resource = resources[logicalId];
  if (!resource) throw new Error(`No resource ${logicalId}`);
  return resource.Properties ?? {};
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Each action of a policy document with the resources it is allowed on, flattened to strings. */
export function actionsWithResources(statements: Statement[]): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const statement of statements) {
    if (statement.Effect !== 'Allow') throw new Error(`Unexpected ${statement.Effect} statement`);
    const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
    const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
    for (const action of actions) {
      const set = result.get(action) ?? new Set<string>();
      for (const resource of resources) set.add(flattenReference(resource));
      result.set(action, set);
    }
  }
  return result;
}
