import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createTestClient } from '../support/clients';
import { startTestApp, TestApp } from '../support/test-app';
import { expectStatus, TransactionsApi } from '../support/transactions';
import { createTransaction, problemCode, workflowCall } from './workflow-test-kit';

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'twilio-test-auth-token';

interface ReceivedEmail {
  from: string;
  to: string[];
  raw: string;
}

interface ReceivedSms {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  form: URLSearchParams;
}

function readBody(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    incoming.on('error', reject);
  });
}

/** Returns the unfolded value of one header of a raw message. */
function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r\n\r\n/)[0].replace(/\r\n[ \t]+/g, ' ');

  return head.split('\r\n').find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))?.slice(name.length + 1).trim();
}

describe('notification providers', () => {
  let smtp: SMTPServer;
  let twilio: Server;
  let testApp: TestApp;
  let api: TransactionsApi;
  const emails: ReceivedEmail[] = [];
  const sms: ReceivedSms[] = [];
  /** Status code the fake Twilio API returns next; 201 accepts the message. */
  let twilioStatus = 201;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          emails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const smtpPort = (smtp.server.address() as AddressInfo).port;

    twilio = createServer(async (incoming, outgoing) => {
      const body = await readBody(incoming);
      sms.push({
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        authorization: incoming.headers.authorization,
        contentType: incoming.headers['content-type'],
        form: new URLSearchParams(body),
      });
      outgoing.writeHead(twilioStatus, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify(twilioStatus === 201 ? { sid: 'SM0123456789abcdef0123456789abcdef', status: 'queued' } : { code: 21211, message: "The 'To' number is not a valid phone number.", status: twilioStatus }));
    });
    await new Promise<void>((resolve) => twilio.listen(0, '127.0.0.1', resolve));
    const twilioPort = (twilio.address() as AddressInfo).port;

    testApp = await startTestApp({
      EMAIL_PROVIDER: 'smtp',
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      EMAIL_FROM: 'no-reply@secusign.test',
      SMS_PROVIDER: 'twilio',
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_URL: `http://127.0.0.1:${twilioPort}`,
    });
    api = new TransactionsApi(testApp, await createTestClient(testApp, { display_name: 'Acme Leasing', sms_sender: 'AcmeLease' }));
  });

  afterAll(async () => {
    await testApp.close();
    await new Promise<void>((resolve) => smtp.close(resolve));
    await new Promise<void>((resolve) => twilio.close(() => resolve()));
  });

  beforeEach(() => {
    emails.length = 0;
    sms.length = 0;
    twilioStatus = 201;
  });

  it('sends email over SMTP under the client name', async () => {
    const transaction = await createTransaction(api, [{ authentication: 'email', language: 'en', firstname: 'Ada', lastname: 'Lovelace' }]);
    const signatory = transaction.signatories[0];

    expectStatus(await workflowCall(testApp, 'POST', signatory.uid, '/otp'), 201);

    expect(emails).toHaveLength(1);
    const [email] = emails;
    expect(email.from).toBe('no-reply@secusign.test');
    expect(email.to).toEqual([signatory.email]);
    expect(header(email.raw, 'From')).toMatch(/^"?Acme Leasing"? <no-reply@secusign\.test>$/);
    expect(header(email.raw, 'To')).toBe(signatory.email);
    expect(header(email.raw, 'Subject')).toBe('Your Acme Leasing signing code');
    expect(email.raw).toContain('Hello Ada Lovelace,');
    expect(email.raw).toMatch(/\r\n\d{6}\r\n/);
    expect(email.raw).toContain('Lease 2024-117');
  });

  it('sends SMS through the Twilio Messages API', async () => {
    const transaction = await createTransaction(api, [{ language: 'es' }]);
    const signatory = transaction.signatories[0];

    expectStatus(await workflowCall(testApp, 'POST', signatory.uid, '/otp'), 201);

    expect(sms).toHaveLength(1);
    const [message] = sms;
    expect(message.method).toBe('POST');
    expect(message.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(message.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`);
    expect(message.contentType).toBe('application/x-www-form-urlencoded');
    expect([...message.form.keys()].sort()).toEqual(['Body', 'From', 'To']);
    expect(message.form.get('To')).toBe(`+${signatory.phone}`);
    expect(message.form.get('From')).toBe('AcmeLease');
    expect(message.form.get('Body')).toMatch(/^\d{6} es su código de firma de Acme Leasing\. Caduca en 5 min\./);
  });

  it('answers 502 when the provider rejects the message and lets the signatory retry', async () => {
    const transaction = await createTransaction(api, [{}]);
    const signatory = transaction.signatories[0];
    twilioStatus = 400;

    const rejected = await workflowCall(testApp, 'POST', signatory.uid, '/otp');

    expect(rejected.status).toBe(502);
    expect(problemCode(rejected.body)).toBe('otp_delivery_failed');
    expect((await workflowCall(testApp, 'GET', signatory.uid)).body.otp).toMatchObject({ state: 'none', cooldown_seconds: 0 });

    twilioStatus = 201;
    const retried = await workflowCall(testApp, 'POST', signatory.uid, '/otp');

    expect(retried.status).toBe(201);
    expect(sms).toHaveLength(2);
  });
});
