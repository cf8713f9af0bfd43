#!/usr/bin/python3
"""A real RTSP camera for camflow's tests: GStreamer's RTSP server with a synthetic live source.

Run it with Debian's /usr/bin/python3 (it needs python3-gi and gir1.2-gst-rtsp-server-1.0), with
rtsp_server.py, tool_table.py, lifeline.py and test-tools.tsv beside it (TestCamera and ReplayCameras copy them together).
Prints "READY rtsp://<address>:<port><path>" (rtsps:// with --tls-cert) on stdout once it serves; exits 0 on
SIGTERM/SIGINT.
One shared media per mount: every client sees the same live stream.
"""
import argparse
import sys
import time

import rtsp_server
import tool_table
from rtsp_server import Gio, Gst, GstRtsp, GstRtspServer, gi

ROLE = "camflow-test"

# The clock code (--clock-code): the wall clock in ms since the epoch, drawn into each frame when it is
# made, before the encoder, so that a viewer can compare it with its own clock (glass latency). Layout
# (the decoder, e2e/src/test/js/clock-code.mjs, must match): square cells of
# CELL = 16 * max(1, (height + 180) // 360) px (whole macroblocks, which survive H.264 at low bitrates),
# COLS x ROWS of them at (CELL, CELL) on a black field of (COLS + 2) x (ROWS + 2) cells in the top left
# corner; a cell is white for 1, black for 0, read row by row: SYNC, then the low 40 bits of the time
# (most significant first), then a CRC-8 (polynomial 0x07) of those 40 bits as 5 big-endian bytes.
CLOCK_CODE_ELEMENT = "clockcode"
CLOCK_CODE_COLS = 13
CLOCK_CODE_ROWS = 4
CLOCK_CODE_SYNC = (1, 0, 1, 0)
CLOCK_CODE_TIME_BITS = 40


def clock_code_cell(height):
    return 16 * max(1, (height + 180) // 360)


def crc8(data):
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def clock_code_bits(ms):
    value = ms & ((1 << CLOCK_CODE_TIME_BITS) - 1)
    crc = crc8(value.to_bytes(CLOCK_CODE_TIME_BITS // 8, "big"))
    return (list(CLOCK_CODE_SYNC) + [(value >> (CLOCK_CODE_TIME_BITS - 1 - i)) & 1 for i in range(CLOCK_CODE_TIME_BITS)]
            + [(crc >> (7 - i)) & 1 for i in range(8)])


def draw_clock_code(_overlay, ctx, _timestamp, _duration, height):
    # the wall clock now, as the frame passes on its way to the encoder
    bits = clock_code_bits(time.time_ns() // 1_000_000)
    cell = clock_code_cell(height)
    ctx.set_source_rgb(0, 0, 0)
    ctx.rectangle(0, 0, (CLOCK_CODE_COLS + 2) * cell, (CLOCK_CODE_ROWS + 2) * cell)
    ctx.fill()
    ctx.set_source_rgb(1, 1, 1)
    for i, bit in enumerate(bits):
        if bit:
            ctx.rectangle((1 + i % CLOCK_CODE_COLS) * cell, (1 + i // CLOCK_CODE_COLS) * cell, cell, cell)
    ctx.fill()


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--address", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--path", default="/main")
    p.add_argument("--codec", choices=("h264", "h265"), default="h264")
    p.add_argument("--width", type=int, default=640)
    p.add_argument("--height", type=int, default=360)
    p.add_argument("--fps", type=int, default=25)
    p.add_argument("--gop", type=int, default=25, help="key frame interval in frames")
    p.add_argument("--bitrate-kbps", type=int, default=800)
    p.add_argument("--audio", choices=("none", "aac", "pcmu", "pcma"), default="none",
                   help="a 440 Hz sine at volume 0.2: AAC 48 kHz stereo, or G.711 (PCMU/PCMA) 8 kHz mono")
    p.add_argument("--params", choices=("inband", "sdp-only"), default="inband",
                   help="inband: parameter sets before every IDR as well as in the SDP; sdp-only: only in the SDP")
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--auth", choices=("digest", "basic"), default="digest",
                   help="authentication the camera asks for when --user is given")
    p.add_argument("--tls-cert", help="PEM certificate (chain): serve RTSPS (TLS) with it; needs --tls-key "
                   "and glib-networking")
    p.add_argument("--tls-key", help="PEM private key of --tls-cert")
    p.add_argument("--protocols", choices=("tcp", "udp", "tcp+udp"), default="tcp+udp")
    p.add_argument("--slices", type=int, default=1, help="H.264 slices per picture (x264 sliced threads)")
    p.add_argument("--bframes", type=int, default=0, help="B-frames between references (0: none), H.264 and H.265")
    p.add_argument("--rtp-timestamp-offset", type=int, default=-1,
                   help="first RTP timestamp of the video (0..2^32-1); near 2^32 the RTP clock wraps soon")
    p.add_argument("--pattern", default="ball", help="videotestsrc pattern")
    p.add_argument("--clock-code", action="store_true",
                   help="draw the wall clock (ms) into every frame as a block code, top left (glass latency)")
    p.add_argument("--lifeline", action="store_true",
                   help="exit when stdin reaches end-of-file (the parent holds the pipe's other end)")
    p.add_argument("--list-elements", action="store_true",
                   help="print the GStreamer elements these options use, one a line, and exit")
    a = p.parse_args(argv)
    if not a.path.startswith("/"):
        a.path = "/" + a.path
    if (a.user is None) != (a.password is None):
        p.error("--user and --password go together")
    if (a.tls_cert is None) != (a.tls_key is None):
        p.error("--tls-cert and --tls-key go together")
    return a


def launch_line(a):
    inband = a.params == "inband"
    interval = -1 if inband else 0
    offset = f" timestamp-offset={a.rtp_timestamp_offset}" if a.rtp_timestamp_offset >= 0 else ""
    font = f"font-desc=\"Sans {max(8, a.height // 20)}\""
    if a.clock_code:
        # cairooverlay draws on BGRx only; the clock code takes the top left, the running time goes below it
        video = (f"videotestsrc is-live=true pattern={a.pattern} "
                 f"! video/x-raw,format=BGRx,width={a.width},height={a.height},framerate={a.fps}/1 "
                 f"! timeoverlay {font} valignment=bottom ! cairooverlay name={CLOCK_CODE_ELEMENT} "
                 f"! videoconvert ! video/x-raw,format=I420 ")
    else:
        video = (f"videotestsrc is-live=true pattern={a.pattern} "
                 f"! video/x-raw,width={a.width},height={a.height},framerate={a.fps}/1 "
                 f"! timeoverlay {font} ! videoconvert ! video/x-raw,format=I420 ")
    if a.codec == "h264":
        # tune=zerolatency uses sliced threads: one slice per thread, so threads decides the slice count.
        # In the avc stream format with repeat-headers=0 x264 keeps SPS/PPS out of the stream
        # (codec_data -> SDP sprop-parameter-sets); the payloader's config-interval alone then decides
        # whether they also travel in-band before every IDR (otherwise x264 and the payloader both
        # insert them and key frames carry them twice).
        # B-frames need the main profile and a tune without zerolatency (which turns them off)
        tune = "tune=zerolatency " if a.bframes == 0 else f"bframes={a.bframes} b-adapt=false "
        profile = "constrained-baseline" if a.bframes == 0 else "main"
        video += (f"! x264enc {tune}speed-preset=ultrafast key-int-max={a.gop} "
                  f"bitrate={a.bitrate_kbps} threads={a.slices} option-string=repeat-headers=0 "
                  f"! video/x-h264,profile={profile},stream-format=avc "
                  f"! rtph264pay name=pay0 pt=96 config-interval={interval}{offset}")
    else:
        # x265enc emits byte-stream with VPS/SPS/PPS ahead of the first frame only; open-gop=0 makes
        # every key frame an IDR as IP cameras do (x265 defaults to CRA).
        # B-frames: x265 without tune=zerolatency (which turns them off), a fixed count, no lookahead delay
        tune = "tune=zerolatency " if a.bframes == 0 else ""
        bframes = "" if a.bframes == 0 else f":bframes={a.bframes}:b-adapt=0:rc-lookahead={a.bframes + 1}"
        video += (f"! x265enc {tune}speed-preset=ultrafast key-int-max={a.gop} "
                  f"bitrate={a.bitrate_kbps} option-string=open-gop=0{bframes} "
                  f"! video/x-h265,profile=main "
                  f"! rtph265pay name=pay0 pt=96 config-interval={interval}{offset}")
    audio = ""
    if a.audio == "aac":
        audio = (" audiotestsrc is-live=true wave=sine freq=440 volume=0.2 "
                 "! audioconvert ! audioresample ! audio/x-raw,rate=48000,channels=2 "
                 "! voaacenc bitrate=64000 ! rtpmp4gpay name=pay1 pt=97")
    elif a.audio == "pcmu":
        audio = (" audiotestsrc is-live=true wave=sine freq=440 volume=0.2 "
                 "! audioconvert ! audioresample ! audio/x-raw,rate=8000,channels=1 "
                 "! mulawenc ! rtppcmupay name=pay1 pt=0")
    elif a.audio == "pcma":
        audio = (" audiotestsrc is-live=true wave=sine freq=440 volume=0.2 "
                 "! audioconvert ! audioresample ! audio/x-raw,rate=8000,channels=1 "
                 "! alawenc ! rtppcmapay name=pay1 pt=8")
    return f"( {video}{audio} )"


def main(argv):
    a = parse_args(argv)
    launch = launch_line(a)
    if a.list_elements:
        print("\n".join(tool_table.elements_of(launch)))
        return 0
    failed = rtsp_server.start("rtsp-camera", [launch])
    if failed is not None:
        return failed

    server = rtsp_server.new_server(a.address, a.port)

    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch)
    factory.set_shared(True)
    if a.clock_code:
        try:
            gi.require_foreign("cairo")  # python3-gi-cairo: the draw callback gets a cairo context
        except ImportError as e:
            print(f"rtsp-camera: --clock-code needs python3-gi-cairo ({e})", file=sys.stderr, flush=True)
            return 3

        def media_configure(_factory, media):
            media.get_element().get_by_name(CLOCK_CODE_ELEMENT).connect("draw", draw_clock_code, a.height)

        factory.connect("media-configure", media_configure)
    protocols = {
        "tcp": GstRtsp.RTSPLowerTrans.TCP,
        "udp": GstRtsp.RTSPLowerTrans.UDP,
        "tcp+udp": GstRtsp.RTSPLowerTrans.TCP | GstRtsp.RTSPLowerTrans.UDP,
    }[a.protocols]
    factory.set_protocols(protocols)

    if a.user is not None or a.tls_cert is not None:
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        # set_string, not writable_structure().set_value: PyGObject hands out a copy of the structure
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, ROLE)
        if a.user is None:
            auth.set_default_token(token)  # TLS only: everyone may watch
        elif a.auth == "basic":
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.BASIC)
            auth.add_basic(GstRtspServer.RTSPAuth.make_basic(a.user, a.password), token)
        else:
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
            auth.add_digest(a.user, a.password, token)
        if a.tls_cert is not None:
            if not Gio.TlsBackend.get_default().supports_tls():
                print("rtsp-camera: --tls-cert needs GLib's TLS backend: install glib-networking", file=sys.stderr,
                      flush=True)
                return 3
            auth.set_tls_certificate(Gio.TlsCertificate.new_from_files(a.tls_cert, a.tls_key))
        server.set_auth(auth)
        factory.add_role_from_structure(Gst.Structure.new_from_string(
            f"{ROLE}, media.factory.access=(boolean)true, media.factory.construct=(boolean)true"))

    server.get_mount_points().add_factory(a.path, factory)

    scheme = "rtsp" if a.tls_cert is None else "rtsps"
    return rtsp_server.serve("rtsp-camera", server, a.address, a.lifeline,
                             lambda host, port: f"READY {scheme}://{host}:{port}{a.path}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
