"""The Redis transport of the portal's Celery broker, with one repair of kombu's.

kombu 5.7.0's `Channel.close()` first drains a pending BRPOP. When Redis has just gone away that
read raises a connection error, which `Connection.maybe_close_channel()` ignores, so the channel
is left open. The consumer then drops the transport (`collect()`) and closes the connection once
more: the second `close()` tries to put the running task's unacknowledged message back, finds no
transport (`'NoneType' object has no attribute 'hostname'`), and the worker stops for good with
"Unrecoverable error". Here the failed drain no longer stops the close: the channel is closed
the first time, the message stays in Redis' unacked set (restored after the visibility timeout)
and the worker reconnects when Redis is back. Settings select it for redis:// and rediss://
broker URLs (CELERY_BROKER_TRANSPORT); tests/partnership/test_broker_outage.py proves it.
"""

from queue import Empty

from kombu.transport import redis


class Channel(redis.Channel):
    def close(self):
        if self._in_poll:
            try:
                self._brpop_read()
            except (Empty, *self.connection_errors):
                pass  # the broker is gone: nothing to read, close the rest all the same
        super().close()


class Transport(redis.Transport):
    Channel = Channel
