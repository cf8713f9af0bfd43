#!/usr/bin/python3
"""Many cheap RTSP cameras for camflow's scale benchmarks: one H.264 clip, encoded once, replayed in a loop.

Run it with Debian's /usr/bin/python3 (it needs python3-gi and gir1.2-gst-rtsp-server-1.0), with
rtsp_server.py, tool_table.py, lifeline.py and test-tools.tsv beside it (TestCamera and ReplayCameras copy them together).
At start it encodes a short clip once (x264, as fast as the CPU allows, kept in memory); then it serves
that clip in a loop, paced in real time, at the mount points /s1 ... /sN. All mounts share ONE media
(one pipeline, one payloader): each client gets the same RTP packets, so N cameras cost the source
little more than one. Prints "READY rtsp://<address>:<port>/s{n} <N> <kbps>" on stdout once it serves
(kbps: the clip's measured bit rate); exits 0 on SIGTERM/SIGINT.
"""
import argparse
import sys

import rtsp_server
import tool_table
from rtsp_server import Gst, GstRtsp, GstRtspServer

SOURCE = "replay"


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--address", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--mounts", type=int, required=True, help="number of mount points /s1 ... /sN")
    p.add_argument("--width", type=int, default=640)
    p.add_argument("--height", type=int, default=360)
    p.add_argument("--fps", type=int, default=25)
    p.add_argument("--gop", type=int, default=50, help="key frame interval in frames")
    p.add_argument("--bitrate-kbps", type=int, default=512)
    p.add_argument("--clip-seconds", type=int, default=10,
                   help="length of the clip (rounded up to whole GOPs so the loop starts on a key frame)")
    p.add_argument("--pattern", default="snow",
                   help="videotestsrc pattern (default snow: x264 really spends the bit rate)")
    p.add_argument("--lifeline", action="store_true",
                   help="exit when stdin reaches end-of-file (the parent holds the pipe's other end)")
    p.add_argument("--list-elements", action="store_true",
                   help="print the GStreamer elements these options use, one a line, and exit")
    a = p.parse_args(argv)
    if a.mounts < 1:
        p.error("--mounts must be at least 1")
    return a


def clip_frames(a):
    """The clip's length in frames: whole GOPs, so that every loop starts on a key frame."""
    gops = -(-a.clip_seconds * a.fps // a.gop)
    return gops * a.gop


def clip_launch_line(a):
    return (f"videotestsrc num-buffers={clip_frames(a)} pattern={a.pattern} "
            f"! video/x-raw,width={a.width},height={a.height},framerate={a.fps}/1 "
            f"! timeoverlay font-desc=\"Sans {max(8, a.height // 20)}\" ! videoconvert ! video/x-raw,format=I420 "
            f"! x264enc speed-preset=ultrafast tune=zerolatency key-int-max={a.gop} bitrate={a.bitrate_kbps} "
            f"! video/x-h264,profile=constrained-baseline ! h264parse "
            f"! video/x-h264,stream-format=byte-stream,alignment=au ! appsink name=out sync=false")


def serve_launch_line(a):
    return (f"( appsrc name={SOURCE} is-live=true format=time do-timestamp=false "
            f"caps=video/x-h264,stream-format=byte-stream,alignment=au,"
            f"width={a.width},height={a.height},framerate={a.fps}/1 "
            f"! h264parse ! rtph264pay name=pay0 pt=96 config-interval=-1 )")


def encode_clip(a):
    """The clip's access units (Annex-B bytes, SPS/PPS before every IDR), encoded once, as fast as possible."""
    frames = clip_frames(a)
    pipeline = Gst.parse_launch(clip_launch_line(a))
    sink = pipeline.get_by_name("out")
    units = []
    pipeline.set_state(Gst.State.PLAYING)
    while True:
        sample = sink.emit("pull-sample")
        if sample is None:
            break
        buf = sample.get_buffer()
        units.append((buf.extract_dup(0, buf.get_size()),
                      not buf.has_flags(Gst.BufferFlags.DELTA_UNIT)))
    pipeline.set_state(Gst.State.NULL)
    if len(units) != frames or not units[0][1]:
        raise RuntimeError(f"encoding the clip gave {len(units)} of {frames} frames")
    return units


def replay_factory(units, a):
    """One shared media for every mount (the class needs GStreamer, so it is made only when serving)."""

    class ReplayFactory(GstRtspServer.RTSPMediaFactory):
        """The key is the same whatever the URL: every mount shares the one media."""

        def __init__(self):
            super().__init__()
            self.set_launch(serve_launch_line(a))
            self.set_shared(True)
            self.set_protocols(GstRtsp.RTSPLowerTrans.TCP | GstRtsp.RTSPLowerTrans.UDP)
            self.connect("media-configure", self.configure)

        def do_gen_key(self, _url):
            return "replay"

        def configure(self, _factory, media):
            src = media.get_element().get_by_name(SOURCE)
            frame_ns = Gst.SECOND // a.fps
            state = {"n": 0}

            def need_data(appsrc, _length):
                # explicit timestamps at the frame rate; the server's sinks sync to the clock, which paces the loop
                n = state["n"]
                data, key = units[n % len(units)]
                buf = Gst.Buffer.new_wrapped(data)
                buf.pts = buf.dts = n * frame_ns
                buf.duration = frame_ns
                if not key:
                    buf.set_flags(Gst.BufferFlags.DELTA_UNIT)
                state["n"] = n + 1
                appsrc.emit("push-buffer", buf)

            src.set_property("max-buffers", 2)
            src.connect("need-data", need_data)

    return ReplayFactory()


def main(argv):
    a = parse_args(argv)
    launches = [clip_launch_line(a), serve_launch_line(a)]
    if a.list_elements:
        print("\n".join(dict.fromkeys(e for launch in launches for e in tool_table.elements_of(launch))))
        return 0
    failed = rtsp_server.start("rtsp-replay", launches)
    if failed is not None:
        return failed
    units = encode_clip(a)
    kbps = sum(len(d) for d, _ in units) * 8 * a.fps / len(units) / 1000

    server = rtsp_server.new_server(a.address, a.port)
    factory = replay_factory(units, a)
    mounts = server.get_mount_points()
    for i in range(1, a.mounts + 1):
        mounts.add_factory(f"/s{i}", factory)
    return rtsp_server.serve("rtsp-replay", server, a.address, a.lifeline,
                             lambda host, port: f"READY rtsp://{host}:{port}/s{{n}} {a.mounts} {kbps:.0f}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
