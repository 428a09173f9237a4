// Grants a function read on Secrets Manager secrets named in the configuration (by name, not ARN).
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { DeployConfig } from './config';

/** Every secret name under apps[].auth, once each, in configuration order. */
export function appAuthSecretNames(config: DeployConfig): string[] {
  const names = config.apps.flatMap((app) =>
    [app.auth?.basicSecret, app.auth?.headersSecret, app.auth?.storageStateSecret].filter(
      (name): name is string => name !== undefined,
    ),
  );
  return [...new Set(names)];
}

/** `grantRead` on each secret by name: exactly those secrets (their name plus Secrets Manager's 6-character suffix). */
export function grantSecretReadByName(
  scope: Construct,
  idPrefix: string,
  names: readonly string[],
  grantee: iam.IGrantable,
): void {
  names.forEach((name, index) => {
    secretsmanager.Secret.fromSecretNameV2(scope, `${idPrefix}${index}`, name).grantRead(grantee);
  });
}
