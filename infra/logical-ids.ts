/**
 * Grouping constructs that do not rename what they hold. CloudFormation replaces a resource
 * whose logical ID changes, and a logical ID is a hash of the construct path, so moving code out
 * of a stack's constructor into a construct would rename (and for some resources replace or
 * orphan) everything it moved. A `LogicalGroup` is skipped when logical IDs are allocated: its
 * children keep the IDs they had as direct children of the stack, while the code reads as a
 * list of constructs. New constructs should be plain `Construct`s; this is for moved code.
 */
import { createHash } from 'node:crypto';
import type { CfnElement } from 'aws-cdk-lib';
import { Construct, type IConstruct } from 'constructs';

/** A construct whose ID is not part of its children's logical IDs (see the module comment). */
export class LogicalGroup extends Construct {
  /** Whether a construct is a logical group. */
  static isLogicalGroup(construct: IConstruct): boolean {
    return construct instanceof LogicalGroup;
  }
}

/**
 * The logical ID CDK would give `element` if no `LogicalGroup` stood between it and its stack:
 * CDK's own scheme (core/lib/private/uniqueid.ts, not exported), applied to the path without
 * the groups. tests/infra checks the resulting template against the one from before the split.
 */
export function logicalIdSkippingGroups(element: CfnElement): string {
  const scopes = element.node.scopes;
  const stackIndex = scopes.indexOf(element.stack);
  const components = scopes
    .slice(stackIndex + 1)
    .filter((scope) => !LogicalGroup.isLogicalGroup(scope))
    .map((scope) => scope.node.id);
  return makeUniqueId(components);
}

const hiddenId = 'Default';
const hiddenFromHumanId = 'Resource';
const hashLength = 8;
const maxHumanLength = 240;
const maxIdLength = 255;

function makeUniqueId(allComponents: string[]): string {
  const components = allComponents.filter((component) => component !== hiddenId);
  const [only] = components;
  if (only === undefined) throw new Error('Unable to calculate a unique id for an empty set of components');
  if (components.length === 1) {
    const candidate = alphanumeric(only);
    if (candidate.length <= maxIdLength) return candidate;
  }
  const hash = createHash('md5')
    .update(components.join('/'))
    .digest('hex')
    .slice(0, hashLength)
    .toUpperCase();
  const human = withoutRepeats(components)
    .filter((component) => component !== hiddenFromHumanId)
    .map(alphanumeric)
    .join('')
    .slice(0, maxHumanLength);
  return human + hash;
}

function alphanumeric(text: string): string {
  return text.replace(/[^A-Za-z0-9]/g, '');
}

function withoutRepeats(path: string[]): string[] {
  const result: string[] = [];
  for (const component of path) {
    const last = result[result.length - 1];
    if (last === undefined || !last.endsWith(component)) result.push(component);
  }
  return result;
}
