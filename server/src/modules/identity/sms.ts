// Text messages to a phone (password-reset codes) go through this adapter. A deployment plugs in
// its provider (Aliyun SMS, Tencent Cloud SMS); the sandbox keeps what it would have sent, for tests
// and the demo, and logs it, since on the demo there is no phone to receive it.
import type { Logger } from '../../platform/logger.ts';

export interface SmsMessage {
  phone: string;
  template: 'password_reset';
  params: { code: string; minutes: number };
}

export interface SmsSender {
  readonly name: string;
  send(message: SmsMessage): Promise<void>;
}

export class SandboxSms implements SmsSender {
  readonly name = 'sandbox';
  /** Everything "sent", newest last (bounded: the demo can run for months). */
  readonly sent: Array<SmsMessage & { at: Date }> = [];
  constructor(private readonly log: Logger) {}

  async send(message: SmsMessage): Promise<void> {
    this.sent.push({ ...message, at: new Date() });
    if (this.sent.length > 1000) this.sent.splice(0, this.sent.length - 1000);
    // A sandbox code is not a secret (nothing is sent); the phone is masked all the same.
    const phone = `${message.phone.slice(0, 3)}****${message.phone.slice(-4)}`;
    this.log.info({ phone, template: message.template, code: message.params.code }, 'sandbox SMS (not sent)');
  }

  /** The last code "sent" to a phone, for tests and the demo. */
  lastCode(phone: string): string | undefined {
    return this.sent.findLast((m) => m.phone === phone)?.params.code;
  }
}
