// An independent SMPP 3.4 SMSC for interop tests, on node-smpp (npm `smpp` 0.5.1).
// Based on appendix A of /work/shared/research/deps.md.
//
//   PORT=0 node smsc.js      (0 = pick a free port)
//
// stdout: the first line is `LISTENING <port>`; every later line is one JSON object, one per PDU
// received ({"pdu": "submit_sm", ...}), so a test can check what an independent decoder saw.
// Logs go to stderr. Credentials: system_id "esme1", password "secret" (else ESME_RBINDFAIL).
// Each submit_sm is answered with a hex message_id; with registered_delivery & 1 (and DLR != "0")
// a delivery receipt deliver_sm follows, with receipted_message_id and message_state TLVs.
'use strict';

const smpp = require('smpp');

const port = Number(process.env.PORT || 0);
const sendDlr = process.env.DLR !== '0';
let msgId = 0;

// node-smpp turns short_message / message_payload into {udh, message} text while decoding; keep
// the raw octets too, so the JSON shows exactly the bytes we sent.
const originalFilter = smpp.PDU.prototype._filter;
smpp.PDU.prototype._filter = function (func) {
  if (func === 'decode') {
    this._raw = {};
    for (const key of ['short_message', 'message_payload']) {
      if (Buffer.isBuffer(this[key])) this._raw[key] = Buffer.from(this[key]);
    }
  }
  return originalFilter.call(this, func);
};

const emit = (record) => process.stdout.write(JSON.stringify(record) + '\n');
const hex = (buffer) => (Buffer.isBuffer(buffer) ? buffer.toString('hex') : null);
const pad = (n) => String(n).padStart(2, '0');
const ts = (d) =>
  pad(d.getFullYear() % 100) + pad(d.getMonth() + 1) + pad(d.getDate()) + pad(d.getHours()) + pad(d.getMinutes());

function describe(pdu) {
  const record = { pdu: pdu.command, sequence_number: pdu.sequence_number, command_status: pdu.command_status };
  const tlvNames = Object.keys(pdu).filter((key) => key in smpp.tlvs || /^\d+$/.test(key));
  if (tlvNames.length) record.tlvs = tlvNames.sort();
  if (pdu.command === 'submit_sm' || pdu.command === 'data_sm') {
    Object.assign(record, {
      service_type: pdu.service_type,
      source_addr_ton: pdu.source_addr_ton,
      source_addr_npi: pdu.source_addr_npi,
      source_addr: pdu.source_addr,
      dest_addr_ton: pdu.dest_addr_ton,
      dest_addr_npi: pdu.dest_addr_npi,
      destination_addr: pdu.destination_addr,
      esm_class: pdu.esm_class,
      registered_delivery: pdu.registered_delivery,
      data_coding: pdu.data_coding,
    });
    const raw = pdu._raw || {};
    if (raw.short_message) record.short_message_hex = hex(raw.short_message);
    if (raw.message_payload) record.message_payload_hex = hex(raw.message_payload);
    const decoded = pdu.short_message || pdu.message_payload;
    if (decoded && typeof decoded === 'object' && !Buffer.isBuffer(decoded)) {
      // node-smpp's own decoding, an independent check of our text encoding
      if (typeof decoded.message === 'string') record.message = decoded.message;
      if (decoded.udh) record.udh_hex = decoded.udh.map(hex);
    }
    for (const key of ['sar_msg_ref_num', 'sar_total_segments', 'sar_segment_seqnum', 'user_message_reference']) {
      if (key in pdu) record[key] = pdu[key];
    }
  }
  if (pdu.command === 'deliver_sm_resp') record.message_id = pdu.message_id;
  if (pdu.command && pdu.command.startsWith('bind_')) record.system_id = pdu.system_id;
  return record;
}

const server = smpp.createServer({ debug: false }, (session) => {
  session.on('pdu', (pdu) => emit(describe(pdu)));
  const bind = (pdu) => {
    if (pdu.system_id !== 'esme1' || pdu.password !== 'secret') {
      session.send(pdu.response({ command_status: smpp.ESME_RBINDFAIL }));
      session.close();
      return;
    }
    session.send(pdu.response({ system_id: 'NODESMSC' }));
  };
  session.on('bind_transceiver', bind);
  session.on('bind_transmitter', bind);
  session.on('bind_receiver', bind);
  session.on('enquire_link', (pdu) => session.send(pdu.response()));
  session.on('unbind', (pdu) => {
    session.send(pdu.response());
    session.close();
  });
  session.on('submit_sm', (pdu) => {
    const id = (++msgId).toString(16);
    session.send(pdu.response({ message_id: id }));
    if (!sendDlr || !(pdu.registered_delivery & 1)) return;
    const now = ts(new Date());
    const text = `id:${id} sub:001 dlvrd:001 submit date:${now} done date:${now} stat:DELIVRD err:000 text:`;
    session.deliver_sm({
      source_addr: pdu.destination_addr,
      destination_addr: pdu.source_addr,
      esm_class: 0x04,
      short_message: text,
      receipted_message_id: id,
      message_state: 2,
    });
  });
  session.on('unknown', (pdu) => session.send(pdu.response()));
  session.on('error', (e) => console.error('session error', e.message));
});

server.on('error', (e) => {
  console.error('server error', e.message);
  process.exit(1);
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`LISTENING ${server.address().port}\n`));
process.on('SIGTERM', () => process.exit(0));
