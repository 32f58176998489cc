// The sending side of the fax line as a module loaded on demand (firmware/app/modules.ts): the
// T.30 sender's states (phases B–D as caller, ECM blocks), the page coder and the line
// transforms. The session stays resident and receives with what it has; the appliance loads
// this for a send and lets it go when that call has ended (opts.sender, fax/t30/call.ts).
export { T_DIAL } from '../fax/t30/sender.ts';
