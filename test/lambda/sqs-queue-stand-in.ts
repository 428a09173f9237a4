// One SQS queue as the Lambda poller sees it: delays, visibility timeouts, receive counts and the redrive to a dead-letter queue.
import { randomUUID } from 'node:crypto';
import type { MessageAttribute } from './aws-stand-in';

/** A message as the queue holds it. */
export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, MessageAttribute>>;
  /** Epoch ms of the SendMessage. */
  readonly sentAt: number;
  /** Epoch ms from which a receive may return it: after its DelaySeconds, then after each visibility timeout. */
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** The handle of the latest receive; a delete with an older one is refused (SQS: ReceiptHandleIsInvalid). */
  receiptHandle?: string;
}

/** What a receive returns: the message and the handle to delete it with. */
export interface ReceivedMessage {
  readonly message: QueuedMessage;
  readonly receiptHandle: string;
}

/** The queue's RedrivePolicy: a message received more than maxReceiveCount times moves to `target`. */
export interface RedrivePolicy {
  readonly target: StandInQueue;
  readonly maxReceiveCount: number;
}

/**
 * The queue's state, in memory. Time is `now` (real time by default): the seal function compares a
 * request's notBefore with its own real clock, so a queue that delivered early on a compressed clock
 * would only see the request sent back to wait again. The night stays short through its window instead.
 */
export class StandInQueue {
  private readonly messages: QueuedMessage[] = [];
  /** Set from the template's RedrivePolicy. */
  redrive: RedrivePolicy | undefined;

  constructor(
    readonly name: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** SendMessage (the stand-in has already refused what SQS would refuse). */
  send(input: {
    readonly messageId?: string;
    readonly body: string;
    readonly attributes: Readonly<Record<string, MessageAttribute>>;
    readonly delaySeconds: number;
  }): QueuedMessage {
    const sentAt = this.now();
    const message: QueuedMessage = {
      messageId: input.messageId ?? randomUUID(),
      body: input.body,
      attributes: input.attributes,
      sentAt,
      visibleAt: sentAt + input.delaySeconds * 1000,
      receiveCount: 0,
    };
    this.messages.push(message);
    return message;
  }

  /**
   * ReceiveMessage: up to `max` visible messages, hidden for `visibilityTimeoutSeconds`. A message
   * already received maxReceiveCount times moves to the dead-letter queue instead, as SQS does on receive.
   */
  receive(max: number, visibilityTimeoutSeconds: number): ReceivedMessage[] {
    const now = this.now();
    const received: ReceivedMessage[] = [];
    for (const message of [...this.messages]) {
      if (received.length >= max) break;
      if (message.visibleAt > now) continue;
      if (this.redrive && message.receiveCount >= this.redrive.maxReceiveCount) {
        this.remove(message);
        this.redrive.target.messages.push({ ...message, visibleAt: now, receiptHandle: undefined });
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + visibilityTimeoutSeconds * 1000;
      message.receiptHandle = randomUUID();
      received.push({ message, receiptHandle: message.receiptHandle });
    }
    return received;
  }

  /** DeleteMessage: true when the handle is the message's latest (a stale one deletes nothing here). */
  delete(receiptHandle: string): boolean {
    const message = this.messages.find((candidate) => candidate.receiptHandle === receiptHandle);
    if (!message) return false;
    this.remove(message);
    return true;
  }

  /** Removes the messages `predicate` picks, before anyone receives them: a request lost on the way. */
  drop(predicate: (message: QueuedMessage) => boolean): QueuedMessage[] {
    const dropped = this.messages.filter(predicate);
    for (const message of dropped) this.remove(message);
    return dropped;
  }

  /** Every message the queue holds: delayed, visible and in flight (SQS's three approximate counts). */
  get size(): number {
    return this.messages.length;
  }

  /** A copy of what the queue holds, oldest first. */
  list(): readonly QueuedMessage[] {
    return [...this.messages];
  }

  private remove(message: QueuedMessage): void {
    const index = this.messages.indexOf(message);
    if (index >= 0) this.messages.splice(index, 1);
  }
}
