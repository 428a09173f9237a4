// What a release pipeline needs to announce a release: a managed policy to put the event, and optionally a GitHub OIDC role.
import { Duration } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { DeployConfig } from './config';

/** GitHub Actions' OIDC issuer; its tokens name the repository and ref in `sub`. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

export interface ReleaseToolingProps {
  /** The deploy bus the release event goes to. */
  readonly bus: events.IEventBus;
  /** The source and detail-type the seal's rule listens for: the only ones the policy allows. */
  readonly events: DeployConfig['events'];
  readonly releaseTooling: DeployConfig['releaseTooling'];
}

export class ReleaseTooling extends Construct {
  /** events:PutEvents on the deploy bus, for the configured source and detail-type only. */
  public readonly policy: iam.ManagedPolicy;
  /** With `releaseTooling.githubOidc`: the role the repository's workflow on its branch assumes. */
  public readonly githubRole?: iam.Role;

  constructor(scope: Construct, id: string, props: ReleaseToolingProps) {
    super(scope, id);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Smoke Seal: put "${props.events.detailType}" events from ${props.events.source} on the deploy bus`,
      statements: [
        new iam.PolicyStatement({
          actions: ['events:PutEvents'],
          resources: [props.bus.eventBusArn],
          // An identity holding this policy can announce releases, and cannot forge any other event.
          conditions: {
            StringEquals: {
              'events:source': props.events.source,
              'events:detail-type': props.events.detailType,
            },
          },
        }),
      ],
    });

    const oidc = props.releaseTooling.githubOidc;
    if (!oidc) return;
    const provider = oidc.providerArn
      ? iam.OidcProviderNative.fromOidcProviderArn(this, 'GithubOidcProvider', oidc.providerArn)
      : new iam.OidcProviderNative(this, 'GithubOidcProvider', {
          url: `https://${GITHUB_OIDC_HOST}`,
          clientIds: ['sts.amazonaws.com'],
        });
    this.githubRole = new iam.Role(this, 'GithubRole', {
      description: `Smoke Seal: GitHub Actions of ${oidc.repo} on ${oidc.branch} announce releases`,
      assumedBy: new iam.WebIdentityPrincipal(provider.oidcProviderArn, {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com',
          // Exactly this repository and branch: no wildcard, so no fork, tag or pull request matches.
          [`${GITHUB_OIDC_HOST}:sub`]: `repo:${oidc.repo}:ref:refs/heads/${oidc.branch}`,
        },
      }),
      maxSessionDuration: Duration.hours(1),
      managedPolicies: [this.policy],
    });
  }
}
