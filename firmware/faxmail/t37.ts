// An ordinary reception as T.37 fax mail, simple mode (ITU-T T.37, RFC 3965 §4): a
// multipart/mixed message with a short text part and the document as one TIFF-F attachment,
// `image/tiff; application=faxbw` (RFC 3949, RFC 3302), which fax software and mail readers open.
// The subject names the sender's ident and the page count, as fax-to-mail gateways do.
import type { DocInfo } from '../store/index.ts';
import type { MimeMessage } from '../mail/index.ts';
import { fmtDateTime } from '../clock/calendar.ts';

export interface T37Options {
  from: string;
  to: string[];
  /** Unix ms (the Date field) and the panel's offset for the text. */
  now: number;
  utcOffsetMinutes: number;
  /** The appliance's station name (the text part) and a unique token (Message-ID, boundary). */
  station: string;
  unique: string;
  domain: string;
}

/** The sender as a person reads it: its T.30 ident, or "an unknown sender". */
export function senderText(info: DocInfo): string {
  const r = (info.meta.remote || '').trim();
  return r ? r : 'an unknown sender';
}

export function t37Subject(info: DocInfo): string {
  return 'Fax from ' + senderText(info) + ' (' + info.pages + ' page' + (info.pages === 1 ? '' : 's') + ')';
}

/** The file name of the attachment: fax-2026-11-25_1405-doc17.tif */
export function t37FileName(info: DocInfo, utcOffsetMinutes: number): string {
  const t = fmtDateTime(info.meta.time + utcOffsetMinutes * 60000);
  return 'fax-' + t.substring(0, 10) + '_' + t.substring(11, 13) + t.substring(14, 16) + '-doc' + info.id + '.tif';
}

/** The message; the TIFF-F body (`tiff`, a ByteSource) is read as the message is sent. */
export function t37Message(info: DocInfo, o: T37Options, tiff: { read(max: number): Uint8Array | null }): MimeMessage {
  const when = fmtDateTime(info.meta.time + o.utcOffsetMinutes * 60000);
  const text =
    'Fax received by ' + o.station + ' on ' + when + ' from ' + senderText(info) + ': ' + info.pages + ' page' + (info.pages === 1 ? '' : 's') +
    (info.meta.sub ? ' (subaddress ' + info.meta.sub + ')' : '') + '.\r\nThe pages are attached as a TIFF file (' + t37FileName(info, o.utcOffsetMinutes) + ').\r\n';
  return {
    from: o.from,
    to: o.to,
    subject: t37Subject(info),
    date: o.now,
    messageId: '<fax-' + info.id + '-' + o.unique + '@' + o.domain + '>',
    boundary: '=_faxvault_' + o.unique,
    parts: [
      { type: 'text/plain', text: text },
      { type: 'image/tiff', params: { application: 'faxbw' }, filename: t37FileName(info, o.utcOffsetMinutes), body: tiff },
    ],
  };
}
