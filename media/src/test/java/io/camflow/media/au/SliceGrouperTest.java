package io.camflow.media.au;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.Codec;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class SliceGrouperTest {

  private static byte[] nal(int... bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0, 0, 0, 1});
    for (int b : bytes) {
      out.write(b);
    }
    return out.toByteArray();
  }

  private static final byte[] IDR_SLICE = nal(0x65, 0x88, 0x80);
  private static final byte[] IDR_SLICE_2 = nal(0x65, 0x00, 0x40); // first_mb_in_slice != 0
  private static final byte[] P_SLICE = nal(0x41, 0x9a, 0x80);
  private static final byte[] P_SLICE_2 = nal(0x41, 0x00, 0x40);

  @Test
  void slicesOfOnePictureBecomeOneAccessUnitWhenTheNextPtsArrives() {
    SliceGrouper g = new SliceGrouper(Codec.H264);
    assertTrue(g.add(IDR_SLICE, 0, 0).isEmpty());
    assertTrue(g.add(IDR_SLICE_2, 0, 0).isEmpty());
    List<SliceGrouper.Group> done = g.add(P_SLICE, 3600, 3600);
    assertEquals(1, done.size());
    assertEquals(0, done.get(0).pts());
    assertArrayEquals(concat(IDR_SLICE, IDR_SLICE_2), done.get(0).data());
    assertFalse(done.get(0).early());
  }

  @Test
  void afterLearningTheSliceCountPicturesCloseWithoutWaiting() {
    SliceGrouper g = new SliceGrouper(Codec.H264);
    long pts = 0;
    int early = 0;
    for (int i = 0; i < 10; i++, pts += 3600) {
      g.add(P_SLICE, pts, pts).forEach(x -> assertFalse(x.early()));
      List<SliceGrouper.Group> done = g.add(P_SLICE_2, pts, pts);
      if (!done.isEmpty()) {
        assertEquals(pts, done.get(0).pts(), "closed as soon as its second slice arrived");
        assertTrue(done.get(0).early());
        early++;
      }
    }
    assertEquals(7, early, "three pictures to learn, then every picture closes early");
  }

  @Test
  void aLateSliceIsDroppedAndTheGrouperGoesBackToWaiting() {
    SliceGrouper g = new SliceGrouper(Codec.H264);
    long pts = 0;
    for (int i = 0; i < 5; i++, pts += 3600) {
      g.add(P_SLICE, pts, pts);
      g.add(P_SLICE_2, pts, pts);
    }
    // the camera now sends three slices per picture
    g.add(P_SLICE, pts, pts);
    List<SliceGrouper.Group> closed = g.add(P_SLICE_2, pts, pts);
    assertEquals(1, closed.size());
    assertTrue(g.add(P_SLICE_2, pts, pts).isEmpty());
    assertEquals(1, g.lateSlices());
    pts += 3600;
    assertTrue(g.add(P_SLICE, pts, pts).isEmpty());
    assertTrue(g.add(P_SLICE_2, pts, pts).isEmpty(), "no longer closes at two slices");
    assertTrue(g.add(P_SLICE_2, pts, pts).isEmpty());
    assertEquals(1, g.add(P_SLICE, pts + 3600, pts + 3600).size());
  }

  @Test
  void keyframesAndOtherPicturesAreLearnedApart() {
    SliceGrouper g = new SliceGrouper(Codec.H264);
    long pts = 0;
    for (int i = 0; i < 4; i++, pts += 3600) {
      g.add(P_SLICE, pts, pts);
    }
    // single-slice P pictures are learned: they close at once
    assertEquals(1, g.add(P_SLICE, pts, pts).size());
    pts += 3600;
    // a two-slice keyframe is not closed after its first slice
    assertTrue(g.add(IDR_SLICE, pts, pts).isEmpty());
    assertTrue(g.add(IDR_SLICE_2, pts, pts).isEmpty());
    List<SliceGrouper.Group> done = g.add(P_SLICE, pts + 3600, pts + 3600);
    assertArrayEquals(concat(IDR_SLICE, IDR_SLICE_2), done.get(0).data());
  }

  @Test
  void parameterSetsTravelWithTheirPicture() {
    SliceGrouper g = new SliceGrouper(Codec.H264);
    byte[] sps = nal(0x67, 0x42, 0xc0, 0x1e);
    byte[] pps = nal(0x68, 0xce, 0x38, 0x80);
    g.add(sps, 0, 0);
    g.add(pps, 0, 0);
    g.add(IDR_SLICE, 0, 0);
    assertArrayEquals(concat(sps, pps, IDR_SLICE), g.flush().orElseThrow().data());
    assertTrue(g.flush().isEmpty());
  }

  @Test
  void worksForH265() {
    SliceGrouper g = new SliceGrouper(Codec.H265);
    byte[] idr = nal(0x26, 0x01, 0xaf); // IDR_W_RADL
    byte[] trail = nal(0x02, 0x01, 0xd0); // TRAIL_R
    g.add(idr, 0, 0);
    assertEquals(1, g.add(trail, 3600, 3600).size());
  }

  @Test
  void refusesAudio() {
    assertThrows(IllegalArgumentException.class, () -> new SliceGrouper(Codec.AAC));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
