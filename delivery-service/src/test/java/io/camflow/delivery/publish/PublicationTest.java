package io.camflow.delivery.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.StreamKey;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.rtp.H264Packetizer;
import io.camflow.media.rtp.RtpFrame;
import io.camflow.media.rtp.RtpPayload;
import io.camflow.media.rtp.RtpStamper;
import io.camflow.testsupport.EncodedStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A publisher's RTP back into the access units ingest would have written: the pictures' slices byte
 * for byte, in order, starting on a keyframe, with their spacing; a lost packet costs the pictures
 * up to the next keyframe and nothing after it.
 */
class PublicationTest {

  static final StreamKey KEY = new StreamKey("pub", "main");
  static final int GOP = 25;
  static List<AccessUnit> clip;

  @BeforeAll
  static void encode() throws Exception {
    clip = EncodedStream.h264(3, GOP, 320, 240);
  }

  /** What a publication wrote. */
  static final class Recorder implements PublishSink {
    final List<AccessUnit> units = new ArrayList<>();
    final List<Long> captures = new ArrayList<>();
    final List<PublicationState> states = new ArrayList<>();
    boolean full;

    @Override
    public boolean media(
        StreamKey key, AccessUnit au, String session, long captureMillis, long receivedMicros) {
      assertEquals(KEY, key);
      if (full) {
        return false;
      }
      units.add(au);
      captures.add(captureMillis);
      return true;
    }

    @Override
    public void status(PublicationState state) {
      states.add(state);
    }
  }

  static Publication publication(Recorder sink, List<String> stops) {
    return new Publication(
        KEY, List.of(new PublishedTrack(0, Codec.H264, 90_000, 0, null)), sink, stops::add);
  }

  /**
   * Sends the clip's pictures {@code from}.. as RTP from a stamper near both wraps, skipping the
   * packets {@code lose} names (by running packet number).
   *
   * @return the packets the publication did not take
   */
  static int send(Publication p, int from, IntPredicate lose) {
    int refused = 0;
    H264Packetizer packetizer = new H264Packetizer();
    RtpStamper stamper = new RtpStamper(96, 0x1234, 65_500, 0xFFFF_0000L);
    int n = 0;
    for (int i = from; i < clip.size(); i++) {
      AccessUnit au = clip.get(i);
      RtpFrame frame = packetizer.packetize(au);
      for (RtpPayload payload : frame.payloads()) {
        byte[] packet = new byte[RtpStamper.packetSize(payload)];
        stamper.stamp(payload, frame.timestamp(), packet, 0);
        if (!lose.test(n++) && !p.packet(0, packet)) {
          refused++;
        }
      }
    }
    return refused;
  }

  /** The NAL units of a picture without parameter sets and delimiters (those may be added). */
  static List<String> slices(AccessUnit au) {
    List<String> out = new ArrayList<>();
    for (byte[] nal : AnnexB.split(au.data())) {
      int type = nal[0] & 0x1F;
      if (type != 7 && type != 8 && type != 9) {
        out.add(java.util.HexFormat.of().formatHex(nal));
      }
    }
    return out;
  }

  @Test
  void everyPictureComesBackWithItsSlicesItsKeyframesAndItsSpacing() {
    Recorder sink = new Recorder();
    List<String> stops = new ArrayList<>();
    Publication p = publication(sink, stops);
    assertEquals(0, send(p, 0, n -> false));
    p.end(null);
    assertEquals(clip.size(), sink.units.size(), "every picture, the last one at the end");
    for (int i = 0; i < clip.size(); i++) {
      AccessUnit sent = clip.get(i);
      AccessUnit got = sink.units.get(i);
      assertEquals(slices(sent), slices(got), "picture " + i);
      assertEquals(sent.keyframe(), got.keyframe(), "picture " + i);
      assertEquals(sent.pts() - clip.get(0).pts(), got.pts() - sink.units.get(0).pts());
      assertEquals(90_000, got.timebase());
      if (got.keyframe()) {
        assertNotNull(got.codecConfig(), "parameter sets on every keyframe");
      }
    }
    long span = sink.captures.getLast() - sink.captures.getFirst();
    assertTrue(span >= 0 && span < 5_000, "capture times stay together: " + span);
    assertEquals(2, sink.states.size(), "streaming, then offline: " + sink.states);
    assertTrue(sink.states.get(0).streaming());
    assertEquals(320, sink.states.get(0).format().width());
    assertFalse(sink.states.get(1).streaming());
    assertEquals(clip.size(), sink.states.get(1).accessUnits());
    assertEquals(List.of(), stops);
    p.end("again");
    assertEquals(2, sink.states.size(), "ending twice says nothing more");
  }

  @Test
  void theRecordsStartOnTheFirstKeyframe() {
    Recorder sink = new Recorder();
    Publication p = publication(sink, new ArrayList<>());
    send(p, 5, n -> false);
    p.end(null);
    assertTrue(sink.units.getFirst().keyframe());
    assertEquals(slices(clip.get(GOP)), slices(sink.units.getFirst()));
    assertEquals(clip.size() - GOP, sink.units.size());
  }

  @Test
  void aLostPacketCostsThePicturesUpToTheNextKeyframe() {
    Recorder sink = new Recorder();
    Publication p = publication(sink, new ArrayList<>());
    // the packets of the first 10 pictures, then one lost: in picture 10 or so, a P picture
    int[] count = new int[1];
    H264Packetizer packetizer = new H264Packetizer();
    int before = 0;
    for (int i = 0; i < 10; i++) {
      before += packetizer.packetize(clip.get(i)).payloads().size();
    }
    int lost = before;
    send(p, 0, n -> n == lost && count[0]++ == 0);
    p.end(null);
    assertEquals(clip.size() - (GOP - 10), sink.units.size(), "pictures 10..24 dropped");
    assertEquals(slices(clip.get(9)), slices(sink.units.get(9)));
    assertEquals(slices(clip.get(GOP)), slices(sink.units.get(10)), "then the next keyframe");
    assertEquals(GOP - 10, p.dropped());
  }

  @Test
  void whenKafkaCannotTakeTheRecordsThePublisherIsStopped() {
    Recorder sink = new Recorder();
    List<String> stops = new ArrayList<>();
    Publication p = publication(sink, stops);
    sink.full = true;
    assertTrue(send(p, 0, n -> false) > 0, "nothing more is taken after that");
    assertEquals(1, stops.size(), "told once: " + stops);
    assertTrue(stops.getFirst().contains("Kafka"), stops.getFirst());
  }

  @Test
  void aMalformedPacketIsDroppedAndTheRestGoesOn() {
    Recorder sink = new Recorder();
    Publication p = publication(sink, new ArrayList<>());
    assertFalse(p.packet(0, new byte[] {(byte) 0x80, 96, 0, 1}), "shorter than a header");
    assertFalse(p.packet(3, new byte[12]), "no such track");
    send(p, 0, n -> false);
    p.end(null);
    assertEquals(clip.size(), sink.units.size());
    assertArrayEquals(
        slices(clip.get(0)).toArray(), slices(sink.units.getFirst()).toArray(), "the first");
  }
}
