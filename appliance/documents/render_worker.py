"""The notice worker: typesets the notices it is sent, writes back the PDFs, and exits after
a while without work.

Started by :func:`appliance.documents.pdf.render_notice_pdfs` as
``python -m appliance.documents.render_worker IDLE_SECONDS``. It alone imports reportlab
and parses the CJK faces; exiting returns that memory to the system (R-N4). Each request on
stdin: an 8-byte big-endian length, then the notices as
:func:`~appliance.documents.pdf.encode_notices` writes them. Each answer on stdout: a status
byte (0 done, 1 failed), an 8-byte length, then the PDFs as
:func:`~appliance.documents.pdf.frame` writes them, or the failure as text. It exits when
stdin closes or after ``IDLE_SECONDS`` without a request.
"""

from __future__ import annotations

import select
import struct
import sys


def main(argv: list[str]) -> int:
    from appliance.documents.pdf import decode_notices, frame
    from appliance.documents.typeset import typeset_notice

    idle = float(argv[1]) if len(argv) > 1 else 0.0
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        if idle > 0 and not select.select([stdin], [], [], idle)[0]:
            return 0  # idle: give the memory back
        head = stdin.read(8)
        if len(head) < 8:
            return 0  # the server closed the pipe
        request = stdin.read(struct.unpack(">Q", head)[0])
        try:
            body, status = frame([typeset_notice(n) for n in decode_notices(request)]), 0
        except Exception as exc:  # any failure is the caller's NoticeRenderFailed
            body, status = f"{type(exc).__name__}: {exc}".encode(), 1
        stdout.write(bytes([status]) + struct.pack(">Q", len(body)) + body)
        stdout.flush()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
