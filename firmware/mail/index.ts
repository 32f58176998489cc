// Mail: SMTP and POP3 clients on hal/net, the streaming MIME writer and reader, the settings.
export { SmtpClient, RFC5321_TIMEOUTS } from './smtp-client.ts';
export type { SmtpJob, SmtpResult, SmtpTimeouts } from './smtp-client.ts';
export { Pop3Client, POP3_TIMEOUTS } from './pop3-client.ts';
export type { Pop3Handler, Pop3Result, Pop3Timeouts } from './pop3-client.ts';
export { MimeWriter, base64Size } from './mime-writer.ts';
export type { MimeMessage, MimePart } from './mime-writer.ts';
export { MimeReader, DEFAULT_LIMITS } from './mime-reader.ts';
export type { MimeHandler, MimeLimits, MimePartInfo } from './mime-reader.ts';
export type { ByteSource } from './source.ts';
export { bytesSource } from './source.ts';
export { parseServerUrl, describeServer } from './url.ts';
export type { ServerUrl } from './url.ts';
export { mailSchema, checkMail, smtpServer, pop3Server } from './settings.ts';
export type { MailSettings } from './settings.ts';
