#!/usr/bin/python3
"""GStreamer's RTSP server relaying another RTSP stream, for the RTSP fan-out benchmark's side-by-side
figure: one shared media reads --source over TCP and re-serves its H.264 at rtsp://<address>:<port>/relay,
depayloaded and payloaded again (what a GStreamer relay does), to readers over TCP.

Prints "READY rtsp://host:port/relay" once it serves; stops on SIGTERM/SIGINT or, with --lifeline, at
the end of stdin.
"""
import argparse
import sys

import rtsp_server


def main(argv):
    p = argparse.ArgumentParser(prog="rtsp-relay", description=__doc__)
    p.add_argument("--source", required=True, help="the RTSP URL relayed (H.264)")
    p.add_argument("--address", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--lifeline", action="store_true", help="stop when stdin ends")
    a = p.parse_args(argv)
    launch = (f"( rtspsrc location={a.source} protocols=tcp latency=0 ! rtph264depay "
              f"! rtph264pay name=pay0 pt=96 config-interval=-1 )")
    failed = rtsp_server.start("rtsp-relay", [launch])
    if failed is not None:
        return failed
    from rtsp_server import GstRtsp, GstRtspServer
    server = rtsp_server.new_server(a.address, a.port)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch)
    factory.set_shared(True)
    factory.set_protocols(GstRtsp.RTSPLowerTrans.TCP)
    server.get_mount_points().add_factory("/relay", factory)
    return rtsp_server.serve("rtsp-relay", server, a.address, a.lifeline,
                             lambda host, port: f"READY rtsp://{host}:{port}/relay")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
