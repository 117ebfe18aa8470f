"""The legacy Tencent SMS API v5 (`/v5/tlssmssvr/...`), as the `qcloudsms_*` SDKs speak it."""
