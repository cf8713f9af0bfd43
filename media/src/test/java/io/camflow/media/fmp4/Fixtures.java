package io.camflow.media.fmp4;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.h264.AvcDecoderConfigurationRecord;
import io.camflow.media.h264.H264NalType;
import io.camflow.media.h265.H265NalType;
import io.camflow.media.h265.HevcDecoderConfigurationRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ffmpeg-made files under {@code src/test/resources/fmp4} (see the README there) turned into
 * what camflow's packager gets from Kafka: access units as {@code docs/record-format.md} describes
 * them. Packet boundaries, timestamps and flags come from ffprobe, not from camflow's own reader;
 * only the decoder configuration is taken out of the file with {@link Mp4Boxes}.
 */
final class Fixtures {

  private Fixtures() {}

  /**
   * One source track.
   *
   * @param expectedSamples the bytes each sample must have: the source file's sample without
   *     in-band parameter sets (x265 repeats them in its IRAP samples, and {@code hvc1} forbids
   *     them there)
   */
  record Track(TrackFormat format, List<AccessUnit> accessUnits, List<byte[]> expectedSamples) {}

  static Path path(String name) {
    URL url = Fixtures.class.getResource("/fmp4/" + name);
    if (url == null) {
      throw new IllegalStateException("missing test resource fmp4/" + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] bytes(String name) {
    try {
      return Files.readAllBytes(path(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The video track of an ffmpeg-made MP4 as Kafka access units: Annex-B, parameter sets in-band on
   * keyframes and in {@code codecConfig}, 90 kHz timestamps shifted by {@code baseSeconds} (ffmpeg
   * starts B-frame streams at a negative dts; cameras start anywhere).
   */
  static Track video(String name, Codec codec, int trackId, long baseSeconds) {
    byte[] file = bytes(name);
    List<Mp4Boxes.Box> boxes = Mp4Boxes.parse(file);
    String entry = codec == Codec.H264 ? "avc1/avcC" : "hvc1/hvcC";
    byte[] record =
        Mp4Boxes.payload(
            file, Mp4Boxes.find(boxes, "moov/trak/mdia/minf/stbl/stsd/" + entry).orElseThrow());
    // hvcC may also hold SEI (x265's encoder info); a camera's keyframe carries only the sets.
    List<byte[]> parameterSets =
        (codec == Codec.H264
                ? AvcDecoderConfigurationRecord.parse(record).parameterSets()
                : HevcDecoderConfigurationRecord.parse(record).parameterSets())
            .stream().filter(nal -> isParameterSet(codec, nal)).toList();
    byte[] config = AnnexB.join(parameterSets);
    TrackFormat format = TrackFormat.video(trackId, codec, config);

    Ffmpeg.Probe probe = Ffmpeg.probe(path(name), false);
    int sourceTimescale = probe.streams().get(0).timeBaseDenominator();
    List<Ffmpeg.Packet> packets = probe.packetsOf(0);
    List<AccessUnit> units = new ArrayList<>();
    List<byte[]> expected = new ArrayList<>();
    long base = baseSeconds * TrackFormat.VIDEO_TIMESCALE;
    for (Ffmpeg.Packet packet : packets) {
      byte[] sample =
          Arrays.copyOfRange(file, (int) packet.pos(), (int) packet.pos() + packet.size());
      List<byte[]> inSample = AnnexB.splitLengthPrefixed(sample, 4);
      expected.add(
          lengthPrefixed(inSample.stream().filter(nal -> !isParameterSet(codec, nal)).toList()));
      List<byte[]> nalUnits = new ArrayList<>();
      if (packet.keyframe()) {
        nalUnits.addAll(parameterSets);
      }
      nalUnits.addAll(inSample.stream().filter(nal -> !isParameterSet(codec, nal)).toList());
      units.add(
          new AccessUnit(
              trackId - 1,
              codec,
              base + rescale(packet.pts(), sourceTimescale, TrackFormat.VIDEO_TIMESCALE),
              base + rescale(packet.dts(), sourceTimescale, TrackFormat.VIDEO_TIMESCALE),
              TrackFormat.VIDEO_TIMESCALE,
              packet.keyframe(),
              AnnexB.join(nalUnits),
              packet.keyframe() ? config : null));
    }
    return new Track(format, units, expected);
  }

  /**
   * The AAC track of an ffmpeg-made MP4: raw frames, timestamps at the sample rate plus {@code
   * baseSeconds}.
   */
  static Track aac(String name, int trackId, long baseSeconds) {
    byte[] file = bytes(name);
    byte[] esds =
        Mp4Boxes.payload(
            file,
            Mp4Boxes.find(Mp4Boxes.parse(file), "moov/trak/mdia/minf/stbl/stsd/mp4a/esds")
                .orElseThrow());
    byte[] asc = decoderSpecificInfo(esds);
    TrackFormat format = TrackFormat.aac(trackId, asc);

    Ffmpeg.Probe probe = Ffmpeg.probe(path(name), false);
    if (probe.streams().get(0).timeBaseDenominator() != format.timescale()) {
      throw new IllegalStateException("fixture time base is not the sample rate");
    }
    List<Ffmpeg.Packet> packets = probe.packetsOf(0);
    List<AccessUnit> units = new ArrayList<>();
    List<byte[]> expected = new ArrayList<>();
    long base = baseSeconds * format.timescale();
    for (Ffmpeg.Packet packet : packets) {
      byte[] frame =
          Arrays.copyOfRange(file, (int) packet.pos(), (int) packet.pos() + packet.size());
      expected.add(frame);
      // keyframe false, as ingest writes audio records
      units.add(
          new AccessUnit(
              trackId - 1,
              Codec.AAC,
              base + packet.pts(),
              base + packet.dts(),
              format.timescale(),
              false,
              frame,
              asc));
    }
    return new Track(format, units, expected);
  }

  /**
   * A raw G.711 file cut into frames of {@code frameBytes} (mono 8 kHz: 160 bytes = 20 ms, as RTP
   * sends them).
   */
  static Track g711(String name, Codec codec, int trackId, int frameBytes, long baseSeconds) {
    byte[] file = bytes(name);
    TrackFormat format = TrackFormat.g711(trackId, codec, 8000, 1);
    List<AccessUnit> units = new ArrayList<>();
    List<byte[]> expected = new ArrayList<>();
    for (int at = 0; at < file.length; at += frameBytes) {
      byte[] frame = Arrays.copyOfRange(file, at, Math.min(file.length, at + frameBytes));
      long pts = baseSeconds * 8000 + at;
      units.add(new AccessUnit(trackId - 1, codec, pts, pts, 8000, false, frame, null));
      expected.add(frame);
    }
    return new Track(format, units, expected);
  }

  /**
   * Samples with camflow's duration rule: the next dts minus this dts; the last sample repeats the
   * previous duration (what a live packager does without the next access unit).
   */
  static List<Sample> samples(List<AccessUnit> units) {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < units.size(); i++) {
      long duration =
          i + 1 < units.size()
              ? units.get(i + 1).dts() - units.get(i).dts()
              : units.get(i).dts() - units.get(i - 1).dts();
      samples.add(Sample.fromAccessUnit(units.get(i), Math.toIntExact(duration)));
    }
    return samples;
  }

  /** The DecoderSpecificInfo (tag 5) inside an esds payload, found by walking the descriptors. */
  static byte[] decoderSpecificInfo(byte[] esds) {
    int pos = 4; // version and flags
    while (pos < esds.length) {
      int tag = esds[pos++] & 0xFF;
      int size = 0;
      int b;
      do {
        b = esds[pos++] & 0xFF;
        size = (size << 7) | (b & 0x7F);
      } while ((b & 0x80) != 0);
      switch (tag) {
        case 0x03 -> pos += 3; // ES_ID, flags (no optional fields in these files): children follow
        case 0x04 -> pos += 13; // DecoderConfigDescriptor fields: children follow
        case 0x05 -> {
          return Arrays.copyOfRange(esds, pos, pos + size);
        }
        default -> pos += size;
      }
    }
    throw new IllegalStateException("no DecoderSpecificInfo in esds");
  }

  /** NAL units behind 4-byte big-endian lengths, written out plainly (not camflow's converter). */
  static byte[] lengthPrefixed(List<byte[]> nalUnits) {
    ByteBuffer out = ByteBuffer.allocate(nalUnits.stream().mapToInt(nal -> 4 + nal.length).sum());
    for (byte[] nal : nalUnits) {
      out.putInt(nal.length).put(nal);
    }
    return out.array();
  }

  private static boolean isParameterSet(Codec codec, byte[] nal) {
    return codec == Codec.H264
        ? H264NalType.isParameterSet(H264NalType.type(nal))
        : H265NalType.isParameterSet(H265NalType.type(nal));
  }

  private static long rescale(long ticks, int from, int to) {
    long scaled = ticks * to;
    if (scaled % from != 0) {
      throw new IllegalStateException(
          ticks + "/" + from + " is not a whole number of 1/" + to + " s");
    }
    return scaled / from;
  }
}
