// A local stand-in for S3, SNS, SQS and Secrets Manager, reached through the SDK's endpoint settings:
// it records what it receives and refuses what AWS would refuse (sizes, attribute rules, unknown names).
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './resolve-intrinsics';
import { StandInQueue } from './sqs-queue-stand-in';

/** SNS and SQS: 256 KiB for a message, its attributes included. */
export const MAX_MESSAGE_BYTES = 262_144;
/** SQS (and SNS raw delivery to SQS) carry at most 10 message attributes. */
const MAX_ATTRIBUTES = 10;
/** Anything larger than this is refused before it is read (S3 evidence is far below). */
const MAX_REQUEST_BYTES = 20 * 1024 * 1024;

export interface MessageAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
}

export interface SnsPublish {
  readonly topicArn: string;
  readonly message: string;
  readonly subject?: string;
  readonly messageStructure?: string;
  readonly attributes: Record<string, MessageAttribute>;
  readonly messageId: string;
}

export interface SqsMessage {
  readonly queueUrl: string;
  readonly body: string;
  readonly attributes: Record<string, MessageAttribute>;
  readonly messageId: string;
  /** 0-900; 0 when the sender gave none. */
  readonly delaySeconds?: number;
}

export interface S3Object {
  readonly bucket: string;
  readonly key: string;
  readonly contentType: string | undefined;
  readonly bytes: number;
}

export interface AwsStandInOptions {
  readonly buckets: readonly string[];
  readonly topicArns: readonly string[];
  /** Queue names (the last segment of their URLs). */
  readonly queues: readonly string[];
  /** Secret name -> plain string value. */
  readonly secrets: Readonly<Record<string, string>>;
}

export interface AwsStandIn {
  readonly endpoint: string;
  /** The topics that exist; add one once its ARN is known. */
  readonly topicArns: string[];
  readonly published: SnsPublish[];
  readonly sent: SqsMessage[];
  /** Each queue's state by name, for a poller (test/lambda/event-source-mapping.ts) to receive from. */
  readonly queues: ReadonlyMap<string, StandInQueue>;
  readonly objects: S3Object[];
  /** Every refusal, as "Service Code: message", for assertions and for debugging a red run. */
  readonly refused: string[];
  readonly secretReads: string[];
  close(): Promise<void>;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startAwsStandIn(options: AwsStandInOptions): Promise<AwsStandIn> {
  const published: SnsPublish[] = [];
  const sent: SqsMessage[] = [];
  const objects: S3Object[] = [];
  const refused: string[] = [];
  const secretReads: string[] = [];
  const topicArns = [...options.topicArns];
  const queues = new Map(options.queues.map((name) => [name, new StandInQueue(name)]));
  const secrets = new Map(
    Object.entries(options.secrets).map(([name, value]) => [
      name,
      {
        name,
        value,
        arn: `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${name}-${suffix()}`,
      },
    ]),
  );

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error).slice(0, 500));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_REQUEST_BYTES) {
      res.writeHead(413).end();
      return;
    }
    const raw = await readBody(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target.startsWith('AmazonSQS.')) return json(res, 'SQS', () => sqs(target.slice(10), raw));
    if (target.startsWith('secretsmanager.'))
      return json(res, 'SecretsManager', () => secretsManager(target.slice(15), raw));
    const form = String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
      ? new URLSearchParams(raw.toString('utf8'))
      : undefined;
    if (req.method === 'POST' && form?.get('Version') === '2010-03-31') return sns(res, form);
    return s3(req, res, raw);
  }

  // --- SQS (AWS JSON 1.0) -------------------------------------------------------------------
  function sqs(operation: string, raw: Buffer): unknown {
    if (operation === 'SendMessageBatch') return sqsBatch(raw);
    if (operation !== 'SendMessage')
      throw new Refusal(400, 'UnsupportedOperation', `${operation} is not stood in for`);
    return sendOne(
      JSON.parse(raw.toString('utf8')) as {
        QueueUrl?: string;
        MessageBody?: string;
        MessageAttributes?: Record<string, MessageAttribute>;
        DelaySeconds?: number;
      },
    );
  }

  /** SendMessageBatch as SQS checks it: 1-10 entries, distinct valid ids, 256 KiB in all; each entry as SendMessage. */
  function sqsBatch(raw: Buffer): unknown {
    const input = JSON.parse(raw.toString('utf8')) as {
      QueueUrl?: string;
      Entries?: {
        Id?: string;
        MessageBody?: string;
        MessageAttributes?: Record<string, MessageAttribute>;
        DelaySeconds?: number;
      }[];
    };
    const entries = input.Entries ?? [];
    if (entries.length === 0)
      throw new Refusal(400, 'EmptyBatchRequest', 'There should be at least one entry in the request.');
    if (entries.length > 10) {
      throw new Refusal(
        400,
        'TooManyEntriesInBatchRequest',
        `Maximum number of entries per request are 10. You have sent ${entries.length}.`,
      );
    }
    const ids = entries.map((entry) => String(entry.Id ?? ''));
    if (ids.some((id) => !/^[A-Za-z0-9_-]{1,80}$/.test(id))) {
      throw new Refusal(
        400,
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      );
    }
    if (new Set(ids).size !== ids.length)
      throw new Refusal(
        400,
        'BatchEntryIdsNotDistinct',
        'Two or more batch entries in the request have the same Id.',
      );
    const total = entries.reduce(
      (sum, entry) =>
        sum + Buffer.byteLength(entry.MessageBody ?? '') + attributesSize(entry.MessageAttributes ?? {}),
      0,
    );
    if (total > MAX_MESSAGE_BYTES) {
      throw new Refusal(
        400,
        'BatchRequestTooLong',
        `Batch requests cannot be longer than ${MAX_MESSAGE_BYTES} bytes.`,
      );
    }
    const successful = entries.map((entry) => ({
      Id: entry.Id,
      ...(sendOne({ ...entry, QueueUrl: input.QueueUrl }) as Record<string, unknown>),
    }));
    return { Successful: successful, Failed: [] };
  }

  function sendOne(input: {
    QueueUrl?: string;
    MessageBody?: string;
    MessageAttributes?: Record<string, MessageAttribute>;
    DelaySeconds?: number;
  }): unknown {
    const delaySeconds = input.DelaySeconds ?? 0;
    if (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > 900) {
      throw new Refusal(
        400,
        'InvalidParameterValue',
        `Value ${delaySeconds} for parameter DelaySeconds is invalid. Reason: must be between 0 and 900, if provided.`,
      );
    }
    const name =
      String(input.QueueUrl ?? '')
        .split('/')
        .at(-1) ?? '';
    if (!options.queues.includes(name)) {
      throw new Refusal(400, 'QueueDoesNotExist', 'The specified queue does not exist.');
    }
    const body = input.MessageBody ?? '';
    if (body.length === 0)
      throw new Refusal(400, 'InvalidParameterValue', 'The message body must not be empty.');
    if (/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(body)) {
      throw new Refusal(400, 'InvalidMessageContents', 'Invalid characters found in the message body.');
    }
    const attributes = input.MessageAttributes ?? {};
    checkAttributes(attributes);
    const size = Buffer.byteLength(body) + attributesSize(attributes);
    if (size > MAX_MESSAGE_BYTES) {
      throw new Refusal(
        400,
        'InvalidParameterValue',
        `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_MESSAGE_BYTES} bytes.`,
      );
    }
    const messageId = randomUUID();
    sent.push({ queueUrl: String(input.QueueUrl), body, attributes, messageId, delaySeconds });
    queues.get(name)?.send({ messageId, body, attributes, delaySeconds });
    return { MessageId: messageId, MD5OfMessageBody: createHash('md5').update(body).digest('hex') };
  }

  // --- Secrets Manager (AWS JSON 1.1) ----------------------------------------------------------
  function secretsManager(operation: string, raw: Buffer): unknown {
    if (operation !== 'GetSecretValue') {
      throw new Refusal(
        400,
        'AccessDeniedException',
        `${operation}: the functions are granted GetSecretValue only`,
      );
    }
    const { SecretId: id = '' } = JSON.parse(raw.toString('utf8')) as { SecretId?: string };
    secretReads.push(id);
    let secret = secrets.get(id);
    if (!secret && id.startsWith('arn:')) {
      const arnName = id.split(':secret:')[1] ?? '';
      secret = [...secrets.values()].find((candidate) => candidate.arn === id);
      // A partial ARN whose name ends in "-" and six characters is taken for a complete one (AWS's trap).
      if (!secret && !/-[A-Za-z0-9]{6}$/.test(arnName)) secret = secrets.get(arnName);
    }
    if (!secret) {
      throw new Refusal(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    }
    return {
      ARN: secret.arn,
      Name: secret.name,
      SecretString: secret.value,
      VersionId: '00000000-0000-0000-0000-000000000001',
      VersionStages: ['AWSCURRENT'],
      CreatedDate: 1_767_225_600,
    };
  }

  async function json(res: ServerResponse, service: string, operation: () => unknown): Promise<void> {
    try {
      const body = JSON.stringify(operation());
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() });
      res.end(body);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      refused.push(`${service} ${error.code}: ${error.message}`);
      res.writeHead(error.status, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': randomUUID(),
        'x-amzn-query-error': `AWS.SimpleQueueService.${error.code};Sender`,
      });
      res.end(
        JSON.stringify({
          __type: `com.amazonaws.${service.toLowerCase()}#${error.code}`,
          message: error.message,
        }),
      );
    }
  }

  // --- SNS (query protocol) ------------------------------------------------------------------
  function sns(res: ServerResponse, form: URLSearchParams): void {
    try {
      if (form.get('Action') !== 'Publish') {
        throw new Refusal(400, 'InvalidAction', `${form.get('Action')} is not stood in for`);
      }
      const topicArn = form.get('TopicArn') ?? '';
      if (!topicArns.includes(topicArn)) throw new Refusal(404, 'NotFound', 'Topic does not exist');
      const message = form.get('Message') ?? '';
      if (!message) throw new Refusal(400, 'InvalidParameter', 'Invalid parameter: Empty message');
      const subject = form.get('Subject') ?? undefined;
      if (
        subject !== undefined &&
        (subject.length > 100 || /[\r\n]/.test(subject) || /[^\x20-\x7e]/.test(subject))
      ) {
        throw new Refusal(400, 'InvalidParameter', 'Invalid parameter: Subject');
      }
      const messageStructure = form.get('MessageStructure') ?? undefined;
      if (messageStructure !== undefined) {
        if (messageStructure !== 'json')
          throw new Refusal(400, 'InvalidParameter', 'Invalid parameter: MessageStructure');
        let parsed: unknown;
        try {
          parsed = JSON.parse(message);
        } catch {
          throw new Refusal(
            400,
            'InvalidParameter',
            'Invalid parameter: Message Structure - JSON message body failed to parse',
          );
        }
        if (
          !parsed ||
          typeof parsed !== 'object' ||
          typeof (parsed as { default?: unknown }).default !== 'string'
        ) {
          throw new Refusal(
            400,
            'InvalidParameter',
            'Invalid parameter: Message Structure - No default entry in JSON message body',
          );
        }
        if (Object.values(parsed).some((value) => typeof value !== 'string')) {
          throw new Refusal(
            400,
            'InvalidParameter',
            'Invalid parameter: Message Structure - all values must be strings',
          );
        }
      }
      const attributes: Record<string, MessageAttribute> = {};
      for (let index = 1; form.has(`MessageAttributes.entry.${index}.Name`); index++) {
        const prefix = `MessageAttributes.entry.${index}`;
        const stringValue = form.get(`${prefix}.Value.StringValue`);
        attributes[form.get(`${prefix}.Name`)!] = {
          DataType: form.get(`${prefix}.Value.DataType`) ?? '',
          ...(stringValue === null ? {} : { StringValue: stringValue }),
        };
      }
      checkAttributes(attributes);
      if (Buffer.byteLength(message) + attributesSize(attributes) > MAX_MESSAGE_BYTES) {
        throw new Refusal(400, 'InvalidParameter', 'Invalid parameter: Message too long');
      }
      const messageId = randomUUID();
      published.push({
        topicArn,
        message,
        ...(subject === undefined ? {} : { subject }),
        ...(messageStructure === undefined ? {} : { messageStructure }),
        attributes,
        messageId,
      });
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      refused.push(`SNS ${error.code}: ${error.message}`);
      res.writeHead(error.status, { 'content-type': 'text/xml' });
      res.end(
        `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
      );
    }
  }

  // --- S3 (REST, path-style or virtual-hosted) ------------------------------------------------------
  // Bodies by bucket and key: the baseline comparison reads back what an earlier seal put.
  const bodies = new Map<string, Buffer>();
  function s3(req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
    try {
      if (req.method === 'GET') {
        const { bucket, key, query } = s3Location(req);
        if (
          query.length > 0 ||
          (new URL(req.url ?? '/', 'http://stand-in').searchParams.get('x-id') ?? 'GetObject') !== 'GetObject'
        ) {
          throw new Refusal(405, 'MethodNotAllowed', 'GET is not stood in for but GetObject');
        }
        if (!options.buckets.includes(bucket)) {
          throw new Refusal(
            404,
            'NoSuchBucket',
            `The specified bucket does not exist: ${bucket.slice(0, 80)}`,
          );
        }
        const body = bodies.get(`${bucket}/${key}`);
        // A missing key is S3's own answer, not a refusal: the baseline store reads "no baseline yet".
        if (!body) {
          res.writeHead(404, { 'content-type': 'application/xml' });
          res.end(
            '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
          );
          return;
        }
        res.writeHead(200, { 'content-length': String(body.length) }).end(body);
        return;
      }
      const object = s3Put(req, raw);
      objects.push(object.record);
      bodies.set(`${object.record.bucket}/${object.record.key}`, object.body);
      res.writeHead(200, { etag: `"${object.md5}"` }).end();
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      refused.push(`S3 ${error.code}: ${error.message}`);
      res.writeHead(error.status, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message></Error>`,
      );
    }
  }

  function s3Location(req: IncomingMessage): { bucket: string; key: string; query: string[] } {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const host = String(req.headers.host ?? '');
    const virtualBucket = /^127\.0\.0\.1|^localhost|^\[/.test(host) ? undefined : host.split('.')[0];
    const parts = url.pathname.slice(1).split('/');
    const bucket = virtualBucket ?? decodeURIComponent(parts.shift() ?? '');
    const key = (virtualBucket ? url.pathname.slice(1) : parts.join('/'))
      .split('/')
      .map(decodeURIComponent)
      .join('/');
    return { bucket, key, query: [...url.searchParams.keys()].filter((name) => name !== 'x-id') };
  }

  function s3Put(req: IncomingMessage, raw: Buffer): { record: S3Object; md5: string; body: Buffer } {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    // The SDK names the operation in the query (x-id=PutObject); any other sub-resource is another API.
    const { bucket, key, query } = s3Location(req);
    if (
      req.method !== 'PUT' ||
      query.length > 0 ||
      (url.searchParams.get('x-id') ?? 'PutObject') !== 'PutObject'
    ) {
      throw new Refusal(
        405,
        'MethodNotAllowed',
        `${req.method} is not stood in for: the seal function only puts and gets objects`,
      );
    }
    if (!options.buckets.includes(bucket)) {
      throw new Refusal(404, 'NoSuchBucket', `The specified bucket does not exist: ${bucket.slice(0, 80)}`);
    }
    if (!key || Buffer.byteLength(key) > 1024)
      throw new Refusal(400, 'KeyTooLongError', 'Your key is too long');
    const body = req.headers['content-encoding']?.includes('aws-chunked') ? decodeAwsChunked(raw) : raw;
    const decodedLength = req.headers['x-amz-decoded-content-length'];
    if (decodedLength !== undefined && Number(decodedLength) !== body.length) {
      throw new Refusal(
        400,
        'IncompleteBody',
        'The request body does not match x-amz-decoded-content-length',
      );
    }
    return {
      record: { bucket, key, contentType: req.headers['content-type'], bytes: body.length },
      md5: createHash('md5').update(body).digest('hex'),
      body,
    };
  }

  function checkAttributes(attributes: Record<string, MessageAttribute>): void {
    const entries = Object.entries(attributes);
    if (entries.length > MAX_ATTRIBUTES) {
      throw new Refusal(
        400,
        'InvalidParameterValue',
        `Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`,
      );
    }
    for (const [name, value] of entries) {
      if (
        !/^[A-Za-z0-9_.-]{1,256}$/.test(name) ||
        /^(aws\.|amazon\.)/i.test(name) ||
        name.includes('..') ||
        name.startsWith('.') ||
        name.endsWith('.')
      ) {
        throw new Refusal(
          400,
          'InvalidParameterValue',
          `Message attribute name '${name.slice(0, 80)}' is invalid.`,
        );
      }
      if (
        !/^(String|Number|Binary)(\.[A-Za-z0-9_.-]+)?$/.test(value.DataType) &&
        value.DataType !== 'String.Array'
      ) {
        throw new Refusal(
          400,
          'InvalidParameterValue',
          `The message attribute '${name}' has an invalid message attribute type.`,
        );
      }
      if (value.DataType.startsWith('String') || value.DataType.startsWith('Number')) {
        if (!value.StringValue) {
          throw new Refusal(
            400,
            'InvalidParameterValue',
            `The message attribute '${name}' must contain a non-empty message attribute value.`,
          );
        }
        if (value.DataType.startsWith('Number') && !/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(value.StringValue)) {
          throw new Refusal(
            400,
            'InvalidParameterValue',
            `The message attribute '${name}' with type 'Number' must use a valid number.`,
          );
        }
      }
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    topicArns,
    published,
    sent,
    queues,
    objects,
    refused,
    secretReads,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function attributesSize(attributes: Record<string, MessageAttribute>): number {
  return Object.entries(attributes).reduce(
    (sum, [name, value]) =>
      sum +
      Buffer.byteLength(name) +
      Buffer.byteLength(value.DataType) +
      Buffer.byteLength(value.StringValue ?? ''),
    0,
  );
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) throw new Error('request body over the stand-in limit');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** aws-chunked: "<hex size>[;chunk-signature=…]\r\n<data>\r\n" … "0\r\n<trailers>\r\n\r\n". */
function decodeAwsChunked(raw: Buffer): Buffer {
  const out: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', offset);
    if (lineEnd < 0) throw new Error('aws-chunked body without a chunk header');
    const size = Number.parseInt(raw.subarray(offset, lineEnd).toString('ascii').split(';')[0]!, 16);
    if (!Number.isFinite(size)) throw new Error('aws-chunked body with a bad chunk size');
    if (size === 0) return Buffer.concat(out);
    out.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
}

function suffix(): string {
  return randomUUID().replaceAll('-', '').slice(0, 6);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
