// An independent SMPP 3.4 client (ESME) on node-smpp (npm `smpp` 0.5.1), used to check that a
// foreign ESME works with smscloud's simulator. It uses the node_modules of ../node_smsc.
//
//   HOST=127.0.0.1 PORT=2775 SYSTEM_ID=esme1 PASSWORD=secret1 \
//   MESSAGES='[{"to": "+8613800000001", "text": "hello"}]' EXPECT_RECEIPTS=1 node esme.js
//
// It binds as a transceiver, submits each message with registered_delivery 1, answers every
// deliver_sm with ESME_ROK, and once EXPECT_RECEIPTS receipts have come, unbinds and exits 0.
// stdout: one JSON object per event ({"event": "bind_transceiver_resp" | "submit_sm_resp" |
// "deliver_sm" | "unbind_resp", ...}), decoded by node-smpp. Exits 1 on an error or after
// TIMEOUT_MS (default 10000).
'use strict';

let smpp;
try {
  smpp = require('smpp');
} catch (e) {
  smpp = require('../node_smsc/node_modules/smpp');
}

const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT || 2775);
const messages = JSON.parse(process.env.MESSAGES || '[]');
const expectReceipts = Number(process.env.EXPECT_RECEIPTS || 0);
const timeoutMs = Number(process.env.TIMEOUT_MS || 10000);

const emit = (record) => process.stdout.write(JSON.stringify(record) + '\n');
const fail = (why) => {
  process.stderr.write(`esme.js: ${why}\n`);
  process.exit(1);
};
setTimeout(() => fail(`timed out after ${timeoutMs} ms`), timeoutMs).unref();

let receipts = 0;
let finishing = false;
const session = smpp.connect({ host, port });
session.on('error', (e) => fail(`session error: ${e.message}`));
session.on('close', () => {
  if (!finishing) fail('the SMSC closed the connection');
});

const finish = () => {
  if (finishing) return;
  finishing = true;
  session.unbind((pdu) => {
    emit({ event: 'unbind_resp', command_status: pdu.command_status });
    session.close();
    process.exit(0);
  });
};

session.on('deliver_sm', (pdu) => {
  const sm = pdu.short_message;
  emit({
    event: 'deliver_sm',
    esm_class: pdu.esm_class,
    source_addr: pdu.source_addr,
    destination_addr: pdu.destination_addr,
    data_coding: pdu.data_coding,
    short_message: sm && typeof sm === 'object' && !Buffer.isBuffer(sm) ? sm.message : String(sm),
    receipted_message_id: pdu.receipted_message_id,
    message_state: pdu.message_state,
  });
  session.send(pdu.response());
  receipts += 1;
  if (receipts >= expectReceipts) finish();
});

session.on('connect', () => {
  session.bind_transceiver(
    { system_id: process.env.SYSTEM_ID || 'esme1', password: process.env.PASSWORD || 'secret1' },
    (pdu) => {
      emit({ event: 'bind_transceiver_resp', command_status: pdu.command_status, system_id: pdu.system_id });
      if (pdu.command_status !== 0) fail(`bind refused with status ${pdu.command_status}`);
      for (const message of messages) {
        session.submit_sm(
          { destination_addr: message.to, source_addr: 'NODEESME', registered_delivery: 1, short_message: message.text },
          (resp) =>
            emit({
              event: 'submit_sm_resp',
              to: message.to,
              command_status: resp.command_status,
              message_id: resp.message_id,
            }),
        );
      }
      if (expectReceipts === 0) setTimeout(finish, 100);
    },
  );
});
