// Where seals live: the seal table and the evidence bucket (screenshots, HTML reports), both kept on stack deletion.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { SEAL_TABLE } from '../functions/adapters/seal-table';

export interface SealRecordsProps {
  /** Evidence objects expire after this many days; seal items carry their own TTL, set by the store. */
  readonly retentionDays: number;
}

/** The key prefix under which the seal function writes evidence (functions/adapters/s3-evidence-store.ts). */
export const EVIDENCE_PREFIX = 'seals/';

/**
 * Kept on stack deletion and on replacement, but removed when the very first create rolls back:
 * a failed first deploy then leaves no table or bucket behind to collide with the next attempt.
 * CloudFormation renders it as DeletionPolicy RetainExceptOnCreate.
 */
const RETAIN_EXCEPT_ON_CREATE = RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;

export class SealRecords extends Construct {
  /** Seals, the per-app latest pointers and their indexes; the shape comes from the store's SEAL_TABLE. */
  public readonly table: dynamodb.Table;
  /** Private evidence: screenshots and reports under seals/. */
  public readonly evidenceBucket: s3.Bucket;
  /** S3 server access logs of the evidence bucket. */
  public readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: SealRecordsProps) {
    super(scope, id);

    this.table = new dynamodb.Table(this, 'SealTable', {
      partitionKey: keyAttribute(SEAL_TABLE.partitionKey),
      sortKey: keyAttribute(SEAL_TABLE.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // A KMS key that AWS manages for DynamoDB: encryption shows in the template, and the functions'
      // DynamoDB grants cover it without a key policy of our own.
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: SEAL_TABLE.timeToLiveAttribute,
      removalPolicy: RETAIN_EXCEPT_ON_CREATE,
    });
    for (const index of Object.values(SEAL_TABLE.indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: keyAttribute(index.partitionKey),
        sortKey: keyAttribute(index.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // Server access log delivery supports only SSE-S3 on the target bucket.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(props.retentionDays) }],
      removalPolicy: RETAIN_EXCEPT_ON_CREATE,
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log target of the evidence bucket; logging it to itself or another bucket would only log the logger.',
    });

    this.evidenceBucket = new s3.Bucket(this, 'EvidenceBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'evidence/',
      lifecycleRules: [
        { id: 'expire-evidence', expiration: Duration.days(props.retentionDays) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RETAIN_EXCEPT_ON_CREATE,
    });
  }

  /**
   * Grants `actions` on the seal table and, with `indexes`, on each of its indexes by name: unlike
   * `table.grant`, no `index/*` wildcard, and a function that never queries an index gets none.
   */
  grantTable(
    grantee: iam.IGrantable,
    actions: readonly string[],
    options: { readonly indexes: boolean | readonly string[] },
  ): iam.Grant {
    const names =
      options.indexes === true
        ? Object.values(SEAL_TABLE.indexes).map((index) => index.indexName)
        : options.indexes === false
          ? []
          : options.indexes;
    const indexArns = names.map((name) => `${this.table.tableArn}/index/${name}`);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [...actions],
      resourceArns: [this.table.tableArn, ...indexArns],
    });
  }
}

const ATTRIBUTE_TYPES = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
  B: dynamodb.AttributeType.BINARY,
} as const;

function keyAttribute(key: {
  readonly name: string;
  readonly type: keyof typeof ATTRIBUTE_TYPES;
}): dynamodb.Attribute {
  return { name: key.name, type: ATTRIBUTE_TYPES[key.type] };
}
