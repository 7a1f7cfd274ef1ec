// slow-worker.mjs: slowClients() in a worker thread, so that the slow clients' sockets do
// not delay the normal client measured on the main thread.  Messages: 'stats' → the
// counters; 'stop' → stop, then the final counters.
import { parentPort, workerData } from 'node:worker_threads';
import { slowClients } from './lib-load.mjs';

const st = slowClients(workerData.port, workerData.opts);
const snap = () => ({
  opened: st.opened, open: st.open, peakOpen: st.peakOpen, refused: st.refused,
  closedByServer: st.closedByServer, lifetimes: st.lifetimes,
});
parentPort.on('message', (m) => {
  if (m === 'stop') st.stop();
  parentPort.postMessage(snap());
  if (m === 'stop') parentPort.close();
});
