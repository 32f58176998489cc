// The panel's dialogs as a module loaded on demand (firmware/app/modules.ts): printing a box,
// sending and copying, the queue, the status pages, reports, date and time and the settings
// behind the administrator code. The panel's own states (idle screen, menu, message) stay
// resident; panel-dialogs.ts enters these through stand-ins and lets the module go when the
// panel is back at its idle screen (docs/ESPRUINO.md, "Modules loaded on demand").
export { STATUS } from '../panel/status-screen.ts';
export { BOX_NUMBER, BOX_DELETE } from '../panel/box-print.ts';
export { SEND_NUMBER, COPY, DIAL_FROM_IDLE } from '../panel/send.ts';
export { SETTINGS, REPORTS_GUARDED, SET_TIME_GUARDED } from '../panel/admin.ts';
export { SEND_QUEUE } from '../panel/queue-screen.ts';
