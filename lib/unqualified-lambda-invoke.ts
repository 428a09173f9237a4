// A Scheduler target invoking a Lambda function by its unqualified ARN, granted on that ARN alone.
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';

/**
 * `LambdaInvoke` grants lambda:InvokeFunction on the function and every version and alias
 * (`<arn>:*`); the schedules invoke the unqualified ARN only, so this grants that alone.
 */
export class UnqualifiedLambdaInvoke extends schedulerTargets.LambdaInvoke {
  private readonly target: lambda.IFunction;

  constructor(func: lambda.IFunction, props: schedulerTargets.ScheduleTargetBaseProps = {}) {
    super(func, props);
    this.target = func;
  }

  protected override addTargetActionToRole(role: iam.IRole): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.target.functionArn] }),
    );
  }
}
