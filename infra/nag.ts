/**
 * cdk-nag 3 wiring. The AwsSolutions pack runs as a CDK policy-validation plugin, so synthesis
 * fails on any finding that is not acknowledged; acknowledgements go through CDK's own
 * `Validations.of(construct).acknowledge`, each with the reason it is acceptable here.
 */
import { type IResolvable, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** Registers the AwsSolutions checks on the app (once). */
export function addNagChecks(app: IConstruct): AwsSolutionsChecks {
  const checks = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(checks);
  return checks;
}

/** Acknowledges one finding (`AwsSolutions-XX` or `AwsSolutions-XX[detail]`) on a construct. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * How cdk-nag prints a value in a finding's detail (its `flattenCfnReference`): `Fn::GetAtt`
 * becomes `<Logical.Attr>`, `Ref` `<Logical>`, an import its export name, joins are joined.
 * Needed to acknowledge a wildcard on one exact resource instead of every wildcard.
 */
export function nagReference(scope: IConstruct, value: string | IResolvable): string {
  return flattenReference(Stack.of(scope).resolve(value));
}

/** A resolved CloudFormation value as one string, the way cdk-nag prints it. */
export function flattenReference(node: unknown): string {
  const flatten = flattenReference;
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    const join = record['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, items] = join;
      if (typeof delimiter === 'string' && Array.isArray(items)) return items.map(flatten).join(delimiter);
    }
    if ('Fn::Sub' in record) return flatten(record['Fn::Sub']);
    const getAtt = record['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${flatten(getAtt[0])}.${flatten(getAtt[1])}>`;
    if ('Fn::ImportValue' in record) return flatten(record['Fn::ImportValue']);
    if ('Ref' in record) return `<${flatten(record.Ref)}>`;
  }
  return JSON.stringify(node);
}
