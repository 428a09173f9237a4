// Read access to a Secrets Manager secret known by name: GetSecretValue on that name's ARNs, and the key's Decrypt.
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { DeployConfig } from './config';

export interface GrantSecretReadOptions {
  /**
   * The customer-managed KMS key the secret is encrypted with (config `secrets.kmsKeyArn`).
   * @default - the aws/secretsmanager key, which needs no grant
   */
  readonly kmsKeyArn?: string;
}

/**
 * Lets `grantee` read the secret named `secretName`, which the function then reads by that name
 * (GetSecretValue accepts a name as SecretId). Not by a suffix-less ARN: Secrets Manager takes a
 * partial ARN whose name ends in "-" and six characters for a full one, and misses the secret.
 * The resource is the name plus the six-character suffix AWS appends (`-??????`), so a secret
 * whose name merely starts with `secretName` is not covered. DescribeSecret is not granted: the
 * functions never call it.
 */
export function grantSecretRead(
  scope: Construct,
  grantee: iam.IGrantable,
  secretName: string,
  options: GrantSecretReadOptions = {},
): iam.Grant {
  const stack = Stack.of(scope);
  const grant = iam.Grant.addToPrincipal({
    grantee,
    actions: ['secretsmanager:GetSecretValue'],
    resourceArns: [
      stack.formatArn({
        service: 'secretsmanager',
        resource: 'secret',
        resourceName: `${secretName}-??????`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    ],
  });
  if (options.kmsKeyArn) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [options.kmsKeyArn],
        // Only when Secrets Manager asks on the function's behalf, not for anything else under the key.
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` } },
      }),
    );
  }
  return grant;
}

/**
 * Lets `grantee` read every secret whose name starts with `prefix` (config `secrets.authSecretPrefix`):
 * one statement however many apps sign in. The KMS grant is the same as grantSecretRead's.
 */
export function grantSecretPrefixRead(
  scope: Construct,
  grantee: iam.IGrantable,
  prefix: string,
  options: GrantSecretReadOptions = {},
): iam.Grant {
  return grantSecretRead(scope, grantee, `${prefix}*`, options);
}

/** Every secret name under apps[].auth (the seal function's sign-in secrets), once each, in configuration order. */
export function appAuthSecretNames(config: DeployConfig): string[] {
  const names = config.apps.flatMap((app) =>
    [app.auth?.basicSecret, app.auth?.headersSecret, app.auth?.storageStateSecret].filter(
      (name): name is string => name !== undefined,
    ),
  );
  return [...new Set(names)];
}
