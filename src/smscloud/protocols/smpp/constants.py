"""SMPP 3.4 numbers: command ids, command status codes and the values of one-octet fields.

Section numbers refer to the SMPP v3.4 specification (issue 1.2, 1999). PDUs keep these fields as
plain ``int`` because carriers send values outside every table; the enums are for naming and
comparing (``IntEnum`` members compare equal to their integers).
"""

from __future__ import annotations

from enum import IntEnum, IntFlag

__all__ = [
    "ESM_CLASS_MESSAGE_TYPE_MASK",
    "ESM_CLASS_MESSAGING_MODE_MASK",
    "RESPONSE_BIT",
    "SMPP_VERSION_34",
    "CommandId",
    "CommandStatus",
    "DataCoding",
    "EsmClass",
    "MessageState",
    "Npi",
    "RegisteredDelivery",
    "Ton",
]

SMPP_VERSION_34 = 0x34
"""interface_version of a bind, and the value of the sc_interface_version TLV, for SMPP 3.4."""

RESPONSE_BIT = 0x80000000
"""Set in the command_id of every response PDU (§5.1.2.1)."""

ESM_CLASS_MESSAGING_MODE_MASK = 0x03
ESM_CLASS_MESSAGE_TYPE_MASK = 0x3C


class CommandId(IntEnum):
    """command_id values (§5.1.2.1), requests and their responses."""

    __hash__ = int.__hash__  # Enum's own hashes the name, in Python: these key hot-path dicts

    GENERIC_NACK = 0x80000000
    BIND_RECEIVER = 0x00000001
    BIND_RECEIVER_RESP = 0x80000001
    BIND_TRANSMITTER = 0x00000002
    BIND_TRANSMITTER_RESP = 0x80000002
    QUERY_SM = 0x00000003
    QUERY_SM_RESP = 0x80000003
    SUBMIT_SM = 0x00000004
    SUBMIT_SM_RESP = 0x80000004
    DELIVER_SM = 0x00000005
    DELIVER_SM_RESP = 0x80000005
    UNBIND = 0x00000006
    UNBIND_RESP = 0x80000006
    REPLACE_SM = 0x00000007
    REPLACE_SM_RESP = 0x80000007
    CANCEL_SM = 0x00000008
    CANCEL_SM_RESP = 0x80000008
    BIND_TRANSCEIVER = 0x00000009
    BIND_TRANSCEIVER_RESP = 0x80000009
    OUTBIND = 0x0000000B
    ENQUIRE_LINK = 0x00000015
    ENQUIRE_LINK_RESP = 0x80000015
    SUBMIT_MULTI = 0x00000021
    SUBMIT_MULTI_RESP = 0x80000021
    ALERT_NOTIFICATION = 0x00000102
    DATA_SM = 0x00000103
    DATA_SM_RESP = 0x80000103


class CommandStatus(IntEnum):
    """command_status values, the SMPP 3.4 error codes (§5.1.3, table 5-2)."""

    __hash__ = int.__hash__  # Enum's own hashes the name, in Python: these key hot-path dicts

    ESME_ROK = 0x00000000
    ESME_RINVMSGLEN = 0x00000001
    ESME_RINVCMDLEN = 0x00000002
    ESME_RINVCMDID = 0x00000003
    ESME_RINVBNDSTS = 0x00000004
    ESME_RALYBND = 0x00000005
    ESME_RINVPRTFLG = 0x00000006
    ESME_RINVREGDLVFLG = 0x00000007
    ESME_RSYSERR = 0x00000008
    ESME_RINVSRCADR = 0x0000000A
    ESME_RINVDSTADR = 0x0000000B
    ESME_RINVMSGID = 0x0000000C
    ESME_RBINDFAIL = 0x0000000D
    ESME_RINVPASWD = 0x0000000E
    ESME_RINVSYSID = 0x0000000F
    ESME_RCANCELFAIL = 0x00000011
    ESME_RREPLACEFAIL = 0x00000013
    ESME_RMSGQFUL = 0x00000014
    ESME_RINVSERTYP = 0x00000015
    ESME_RINVNUMDESTS = 0x00000033
    ESME_RINVDLNAME = 0x00000034
    ESME_RINVDESTFLAG = 0x00000040
    ESME_RINVSUBREP = 0x00000042
    ESME_RINVESMCLASS = 0x00000043
    ESME_RCNTSUBDL = 0x00000044
    ESME_RSUBMITFAIL = 0x00000045
    ESME_RINVSRCTON = 0x00000048
    ESME_RINVSRCNPI = 0x00000049
    ESME_RINVDSTTON = 0x00000050
    ESME_RINVDSTNPI = 0x00000051
    ESME_RINVSYSTYP = 0x00000053
    ESME_RINVREPFLAG = 0x00000054
    ESME_RINVNUMMSGS = 0x00000055
    ESME_RTHROTTLED = 0x00000058
    ESME_RINVSCHED = 0x00000061
    ESME_RINVEXPIRY = 0x00000062
    ESME_RINVDFTMSGID = 0x00000063
    ESME_RX_T_APPN = 0x00000064
    ESME_RX_P_APPN = 0x00000065
    ESME_RX_R_APPN = 0x00000066
    ESME_RQUERYFAIL = 0x00000067
    ESME_RINVOPTPARSTREAM = 0x000000C0
    ESME_ROPTPARNOTALLWD = 0x000000C1
    ESME_RINVPARLEN = 0x000000C2
    ESME_RMISSINGOPTPARAM = 0x000000C3
    ESME_RINVOPTPARAMVAL = 0x000000C4
    ESME_RDELIVERYFAILURE = 0x000000FE
    ESME_RUNKNOWNERR = 0x000000FF
    # Not in 3.4: SMPP 5.0 added it, and 3.4 SMSCs send it too. 0x100-0x3FF are otherwise reserved.
    ESME_RINVDCS = 0x00000104


class Ton(IntEnum):
    """Type of number (§5.2.5)."""

    UNKNOWN = 0x00
    INTERNATIONAL = 0x01
    NATIONAL = 0x02
    NETWORK_SPECIFIC = 0x03
    SUBSCRIBER_NUMBER = 0x04
    ALPHANUMERIC = 0x05
    ABBREVIATED = 0x06


class Npi(IntEnum):
    """Numbering plan indicator (§5.2.6)."""

    UNKNOWN = 0x00
    ISDN = 0x01  # E.163/E.164
    DATA = 0x03  # X.121
    TELEX = 0x04  # F.69
    LAND_MOBILE = 0x06  # E.212
    NATIONAL = 0x08
    PRIVATE = 0x09
    ERMES = 0x0A
    INTERNET = 0x0E  # IP
    WAP_CLIENT_ID = 0x12


class DataCoding(IntEnum):
    """data_coding values (§5.2.19). Values from 0xC0 up follow the GSM 03.38 coding groups."""

    DEFAULT = 0x00  # SMSC default alphabet; in practice the GSM 03.38 default alphabet
    IA5 = 0x01  # IA5 (CCITT T.50) / ASCII
    OCTET_UNSPECIFIED = 0x02  # 8-bit binary
    LATIN_1 = 0x03  # ISO-8859-1
    BINARY = 0x04  # 8-bit binary
    JIS = 0x05  # X 0208-1990
    CYRILLIC = 0x06  # ISO-8859-5
    LATIN_HEBREW = 0x07  # ISO-8859-8
    UCS2 = 0x08  # ISO/IEC-10646, sent as UTF-16BE
    PICTOGRAM = 0x09
    ISO_2022_JP = 0x0A  # music codes
    EXTENDED_KANJI = 0x0D  # JIS X 0212-1990
    KS_C_5601 = 0x0E


class EsmClass(IntFlag):
    """esm_class bits (§5.2.12): messaging mode (bits 0-1), message type (2-5), GSM features (6-7).

    Messaging mode and message type are small numbers inside a mask, not independent flags; test them
    with ``esm_class & ESM_CLASS_MESSAGE_TYPE_MASK == EsmClass.DELIVERY_RECEIPT``.
    """

    DEFAULT = 0x00
    DATAGRAM_MODE = 0x01
    FORWARD_MODE = 0x02
    STORE_AND_FORWARD_MODE = 0x03
    DELIVERY_RECEIPT = 0x04  # deliver_sm: SMSC delivery receipt
    DELIVERY_ACK = 0x08  # SME delivery acknowledgement
    MANUAL_USER_ACK = 0x10  # SME manual/user acknowledgement
    CONVERSATION_ABORT = 0x18  # Korean CDMA
    INTERMEDIATE_DELIVERY_NOTIFICATION = 0x20
    UDHI = 0x40  # short_message starts with a user data header
    REPLY_PATH = 0x80


class RegisteredDelivery(IntFlag):
    """registered_delivery bits (§5.2.17)."""

    NONE = 0x00
    SMSC_RECEIPT = 0x01  # receipt on final outcome, success or failure
    SMSC_RECEIPT_ON_FAILURE = 0x02  # receipt on failure only
    SME_DELIVERY_ACK = 0x04
    SME_MANUAL_ACK = 0x08
    INTERMEDIATE_NOTIFICATION = 0x10


class MessageState(IntEnum):
    """message_state values (§5.2.28), in query_sm_resp and the message_state TLV."""

    ENROUTE = 1
    DELIVERED = 2
    EXPIRED = 3
    DELETED = 4
    UNDELIVERABLE = 5
    ACCEPTED = 6
    UNKNOWN = 7
    REJECTED = 8
