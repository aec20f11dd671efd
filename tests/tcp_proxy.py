"""A TCP proxy a test can break: `cut()` closes every connection and refuses new ones (the server down), `split()`
keeps them open but passes no byte either way (packets dropped: a network split), `heal()` brings it back. It runs
its own event loop in a thread, so that it keeps working while the code under test is stuck."""

from __future__ import annotations

import asyncio
import socket
import threading


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = _free_port()
        self.loop = asyncio.new_event_loop()
        self.server: asyncio.base_events.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        self.passing = threading.Event()
        self.passing.set()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self._call(self._listen())

    def _call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(10)

    async def _listen(self) -> None:
        self.server = await asyncio.start_server(self._client, "127.0.0.1", self.port)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self.writers |= {writer, upstream_writer}
        await asyncio.gather(self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                if not self.passing.is_set():  # split: hold the bytes, as a dropping network would
                    await asyncio.to_thread(self.passing.wait)
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            writer.close()
            self.writers.discard(writer)

    def cut(self) -> None:
        """The server down: open connections reset, new ones refused."""

        async def run() -> None:
            self.server.close()
            for writer in list(self.writers):
                writer.transport.abort()
            self.writers.clear()

        self._call(run())

    def split(self) -> None:
        self.passing.clear()

    def heal(self) -> None:
        self.passing.set()
        if self.server is not None and not self.server.is_serving():
            self._call(self._listen())

    def close(self) -> None:
        self.cut()
        self.passing.set()

        async def cancel_all() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        self._call(cancel_all())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PacketDrop:
    """Packets to and from one loopback port dropped by the kernel, as a network split does: unlike
    `TcpProxy.split()`, nothing answers at all, so the TCP user timeout and the keepalives of the endpoints act.
    Needs `tc` and the CAP_NET_ADMIN capability (root on the test machines); `drop()` raises RuntimeError without."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.active = False

    @staticmethod
    def _tc(*args: str) -> None:
        import subprocess

        done = subprocess.run(["tc", *args], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"tc {' '.join(args)}: {done.stderr.strip()}")

    def drop(self) -> None:
        # Not every kernel has netem or the drop action: the port's packets go to a class that queues none (a pfifo
        # of length 0 under an 8 bit/s htb class), the rest of loopback to a class as fast as loopback.
        self._tc("qdisc", "add", "dev", "lo", "root", "handle", "1:", "htb", "default", "10")
        self.active = True
        self._tc("class", "add", "dev", "lo", "parent", "1:", "classid", "1:10", "htb", "rate", "40gbit")
        self._tc("class", "add", "dev", "lo", "parent", "1:", "classid", "1:20", "htb", "rate", "8bit",
                 "ceil", "8bit")  # fmt: skip
        self._tc("qdisc", "add", "dev", "lo", "parent", "1:20", "handle", "20:", "pfifo", "limit", "0")
        for direction in ("dport", "sport"):
            self._tc("filter", "add", "dev", "lo", "parent", "1:", "protocol", "ip", "prio", "1", "u32",
                     "match", "ip", direction, str(self.port), "0xffff", "flowid", "1:20")  # fmt: skip

    def heal(self) -> None:
        if self.active:
            self._tc("qdisc", "del", "dev", "lo", "root")
            self.active = False
