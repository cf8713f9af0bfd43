"""What both camera scripts do around their media: GStreamer's RTSP server on an address and port,
serving until SIGTERM/SIGINT (or the end of the --lifeline), with one READY line on stdout once it serves.

The GObject modules are imported here once for both; when they are missing, GI_ERROR says why and
start() reports it (--list-elements works without them).
"""
import os
import signal
import sys

import lifeline
import tool_table

try:
    import gi

    gi.require_version("Gst", "1.0")
    gi.require_version("GstApp", "1.0")
    gi.require_version("GstRtsp", "1.0")
    gi.require_version("GstRtspServer", "1.0")
    from gi.repository import Gio, GLib, Gst, GstApp, GstRtsp, GstRtspServer  # noqa: E402,F401
    GI_ERROR = None
except (ImportError, ValueError) as e:
    gi = Gio = GLib = Gst = GstApp = GstRtsp = GstRtspServer = None
    GI_ERROR = e


def start(script, launches):
    """Initialises GStreamer for these launch lines: None when ready, else the exit status (3) after
    saying on stderr what is missing and which package brings it."""
    if GI_ERROR is not None:
        tool_table.explain_gi_error(script, GI_ERROR)
        return 3
    # GStreamer reports pipeline failures (caps not negotiated, missing element) only through its
    # debug log: keep ERROR level on stderr so a failing camera says why.
    os.environ.setdefault("GST_DEBUG", "1")
    os.environ.setdefault("GST_DEBUG_NO_COLOR", "1")
    Gst.init(None)
    if not tool_table.check_elements(script, launches, Gst.ElementFactory.find):
        return 3
    return None


def new_server(address, port):
    server = GstRtspServer.RTSPServer()
    server.set_address(address)
    server.set_service(str(port))
    return server


def serve(script, server, address, watch_lifeline, ready_line):
    """Serves until SIGTERM/SIGINT or, with watch_lifeline, the end of stdin; the exit status (2 when it
    cannot listen). ready_line(host, port) is what goes to stdout once it serves."""
    loop = GLib.MainLoop()
    if server.attach(None) == 0:
        print(f"cannot listen on {address}:{server.get_service()}", file=sys.stderr, flush=True)
        return 2

    def stop(*_):
        loop.quit()
        return GLib.SOURCE_REMOVE

    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, stop)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, stop)
    if watch_lifeline:
        lifeline.watch(GLib, loop.quit, script)

    host = address if address not in ("0.0.0.0", "::") else "127.0.0.1"
    print(ready_line(host, server.get_bound_port()), flush=True)
    loop.run()
    return 0
