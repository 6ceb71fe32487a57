"""A deadline for receiving a request: uvicorn's HTTP/1.1 protocol with a timer that closes a
connection whose request line, headers and body have not all arrived within REQUEST_DEADLINE
seconds of the first byte (or of the connection being made).

uvicorn times out only idle keep-alive connections, and any received byte resets that timer, so a
client trickling a request one byte at a time would hold a connection for ever (slowloris). The
timer covers only the receipt of a request: it is disarmed once the request is complete, so a
long-running answer is bounded by the query time limit, not by this deadline."""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

REQUEST_DEADLINE = 10.0  # seconds to send a whole request
# After the 408 the connection is half-closed and what the client still sends is read and dropped
# for LINGER seconds before it is closed: closing at once would make the client's next byte draw a
# reset, and a client that gets a reset may lose the 408 it has not read yet (lingering close).
LINGER = 2.0

_TIMED_OUT = (b"HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\n"
              b"Connection: close\r\nContent-Length: %d\r\n\r\n%s")


def deadline_protocol(seconds: float = REQUEST_DEADLINE) -> type[H11Protocol]:
    """An H11Protocol class whose connections must deliver each request within `seconds`."""

    class DeadlineProtocol(_RequestDeadline):
        deadline = seconds

    return DeadlineProtocol


class _RequestDeadline(H11Protocol):
    deadline = REQUEST_DEADLINE
    _timer: asyncio.TimerHandle | None = None
    _lingering = False

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._lingering:
            return  # the rest of a request already answered with 408: dropped
        if self._timer is None and self._between_requests():
            self._arm()  # the first byte of the next request on a kept-alive connection
        super().data_received(data)
        if self.conn.their_state in (h11.DONE, h11.MUST_CLOSE, h11.CLOSED, h11.ERROR):
            self._disarm()  # the whole request is in (or the connection is finished)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _between_requests(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        self._disarm()
        self._timer = self.loop.call_later(self.deadline, self._too_slow)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _too_slow(self) -> None:
        self._timer = None
        if self.transport.is_closing():
            return
        message = (f"the request was not received within {self.deadline:g} s; send it whole / "
                   f"{self.deadline:g}秒以内にリクエストが届きませんでした").encode("utf-8")
        if self.conn.our_state is not h11.IDLE:  # an answer was started: nothing to add
            self.transport.close()
            return
        self.transport.write(_TIMED_OUT % (len(message), message))
        self._lingering = True
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(LINGER, self.transport.close)
