// A Lambda function's own role and log group: logging rights on that one log group, nothing managed by AWS.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface FunctionIdentityProps {
  /** What the function is for, in the role's description. */
  readonly purpose: string;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Instead of the AWSLambdaBasicExecutionRole managed policy (logs:CreateLogGroup and friends on
 * every log group of the account), the role may write to its function's log group only; every
 * other right comes from grant* calls on the resources the function uses.
 */
export class FunctionIdentity extends Construct {
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: FunctionIdentityProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      // Logs are for debugging; the record of what happened is the seal table, which is retained.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.purpose,
    });
    this.logGroup.grantWrite(this.role);
  }
}
