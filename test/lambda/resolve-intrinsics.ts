// Resolves the intrinsic functions of a template value (Ref, Fn::GetAtt, Fn::Join) to local stand-in values.
import type { CfnTemplate } from './synth-assets';

export const LOCAL_ACCOUNT = '111122223333';
export const LOCAL_REGION = 'eu-west-1';

/** Physical values of the stand-ins, by logical id: what Ref and each GetAtt attribute return. */
export interface StandInValues {
  readonly ref: (logicalId: string, type: string) => string;
  readonly getAtt: (logicalId: string, type: string, attribute: string) => string;
}

/**
 * What CloudFormation would return, made local: names are the logical ids, ARNs carry the local
 * account and region, and a queue's URL points at the SQS stand-in (`queueEndpoint`).
 */
export function localStandInValues(queueEndpoint: string): StandInValues {
  const arn = (service: string, resource: string) =>
    `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${resource}`;
  const ref = (logicalId: string, type: string): string => {
    switch (type) {
      case 'AWS::DynamoDB::Table':
        return logicalId;
      case 'AWS::S3::Bucket':
        return logicalId.toLowerCase();
      case 'AWS::SNS::Topic':
        return arn('sns', logicalId);
      case 'AWS::SQS::Queue':
        return `${queueEndpoint}/${LOCAL_ACCOUNT}/${logicalId}`;
      case 'AWS::Lambda::Function':
        return logicalId;
      default:
        throw new Error(`no local stand-in for Ref of ${logicalId} (${type})`);
    }
  };
  const getAtt = (logicalId: string, type: string, attribute: string): string => {
    if (attribute === 'Arn') {
      switch (type) {
        case 'AWS::DynamoDB::Table':
          return arn('dynamodb', `table/${logicalId}`);
        case 'AWS::S3::Bucket':
          return `arn:aws:s3:::${logicalId.toLowerCase()}`;
        case 'AWS::SQS::Queue':
          return arn('sqs', logicalId);
        case 'AWS::Lambda::Function':
          return arn('lambda', `function:${logicalId}`);
      }
    }
    if (type === 'AWS::SQS::Queue' && attribute === 'QueueName') return logicalId;
    if (type === 'AWS::SQS::Queue' && attribute === 'QueueUrl') return ref(logicalId, type);
    throw new Error(`no local stand-in for GetAtt ${logicalId}.${attribute} (${type})`);
  };
  return { ref, getAtt };
}

const PSEUDO: Record<string, string> = {
  'AWS::AccountId': LOCAL_ACCOUNT,
  'AWS::Region': LOCAL_REGION,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'SmokeSeal',
};

/** Resolves `value` to a string; anything it cannot resolve is an error (a stand-in to add), never a guess. */
export function resolveIntrinsics(value: unknown, template: CfnTemplate, standIns: StandInValues): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [fn, arg] = entries[0]!;
      const typeOf = (logicalId: string) => {
        const resource = template.Resources[logicalId];
        if (!resource) throw new Error(`unknown logical id ${logicalId}`);
        return resource.Type;
      };
      if (fn === 'Ref' && typeof arg === 'string') {
        return PSEUDO[arg] ?? standIns.ref(arg, typeOf(arg));
      }
      if (fn === 'Fn::GetAtt' && Array.isArray(arg) && arg.length === 2) {
        const [logicalId, attribute] = arg as [string, string];
        return standIns.getAtt(logicalId, typeOf(logicalId), attribute);
      }
      if (fn === 'Fn::Join' && Array.isArray(arg) && arg.length === 2 && Array.isArray(arg[1])) {
        return (arg[1] as unknown[])
          .map((part) => resolveIntrinsics(part, template, standIns))
          .join(String(arg[0]));
      }
    }
  }
  throw new Error(`cannot resolve ${JSON.stringify(value).slice(0, 200)}`);
}
