"""--lifeline: the script ends when the process that started it is gone, however that process ended.

The parent gives the script a pipe as stdin and never writes to it. When the parent ends (exit,
crash, SIGKILL) the kernel closes the write end and stdin reads end-of-file. Polling the parent's
pid cannot tell that reliably: a killed parent that nobody has reaped yet still "exists".
"""
import os
import sys


def watch(glib, on_end, script):
    """Calls on_end from the GLib main loop once stdin reaches end-of-file (bytes written are ignored)."""

    def readable(fd, _condition):
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b""
        if data:
            return glib.SOURCE_CONTINUE
        try:
            print(f"{script}: the process that started it is gone (its lifeline, stdin, closed), stopping",
                  file=sys.stderr, flush=True)
        except OSError:
            pass  # stderr was a pipe to that parent: nobody reads it any more
        on_end()
        return glib.SOURCE_REMOVE

    glib.io_add_watch(sys.stdin.fileno(), glib.PRIORITY_DEFAULT, glib.IOCondition.IN | glib.IOCondition.HUP,
                      readable)
