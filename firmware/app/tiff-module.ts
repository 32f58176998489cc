// A stored document as a TIFF-F file (print/tiff-source.ts) as a module loaded on demand
// (firmware/app/modules.ts), with the T.4 decoder that counts each page's rows for its IFD:
// only a text-only box's delivery (the image goes in clear as TIFF) and T.37 fax mail need it,
// so neither the LAN service nor the mail delivery holds that code otherwise (docs/ESPRUINO.md).
export { TiffSource } from '../print/tiff-source.ts';
