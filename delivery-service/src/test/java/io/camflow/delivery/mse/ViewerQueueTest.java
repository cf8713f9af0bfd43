package io.camflow.delivery.mse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewerQueueTest {

  static Fragment fragment(int size, boolean key, long millis) {
    return Fragment.of(new byte[size], key, millis, 1);
  }

  static List<ViewerQueue.Item> drain(ViewerQueue q) {
    List<ViewerQueue.Item> out = new ArrayList<>();
    for (ViewerQueue.Item i; (i = q.poll()) != null; ) {
      out.add(i);
    }
    return out;
  }

  @Test
  void keepsOrderAndCountsBytes() {
    ViewerQueue q = new ViewerQueue(1000, 10);
    Fragment a = fragment(100, true, 0);
    Fragment b = fragment(50, false, 40);
    q.media(a);
    q.control(new ViewerQueue.Text("{}"));
    q.media(b);
    assertEquals(150, q.bytes());
    assertEquals(2, q.fragments());
    List<ViewerQueue.Item> out = drain(q);
    assertSame(a, ((ViewerQueue.Media) out.get(0)).fragment());
    assertInstanceOf(ViewerQueue.Text.class, out.get(1));
    assertSame(b, ((ViewerQueue.Media) out.get(2)).fragment());
    assertEquals(0, q.bytes());
    assertEquals(0, q.fragments());
  }

  @Test
  void overflowDropsEverythingQueuedAndSkipsToTheNextKeyframe() {
    ViewerQueue q = new ViewerQueue(1000, 100);
    q.control(new ViewerQueue.Text("{\"type\":\"live\"}"));
    q.media(fragment(400, true, 1000));
    q.media(fragment(400, false, 1040));
    q.media(fragment(400, false, 1080)); // over 1000 bytes: all dropped
    assertEquals(0, q.bytes());
    assertTrue(q.skipping());
    q.media(fragment(10, false, 1120)); // still skipping: not a keyframe
    assertEquals(0, q.fragments());
    Fragment key = fragment(300, true, 5000);
    q.media(key);
    List<ViewerQueue.Item> out = drain(q);
    assertEquals(3, out.size());
    assertEquals(
        "{\"type\":\"live\"}",
        ((ViewerQueue.Text) out.get(0)).json(),
        "events survive an overflow");
    assertEquals(
        MseMessages.dropped(4000),
        ((ViewerQueue.Text) out.get(1)).json(),
        "skipped from the oldest dropped");
    assertSame(key, ((ViewerQueue.Media) out.get(2)).fragment());
    assertEquals(4, q.droppedFragments());
    assertEquals(1, q.overflows());
  }

  @Test
  void overflowOnAKeyframeResumesThereAtOnce() {
    ViewerQueue q = new ViewerQueue(100_000, 3);
    q.media(fragment(10, true, 0));
    q.media(fragment(10, false, 40));
    q.media(fragment(10, false, 80));
    Fragment key = fragment(10, true, 120);
    q.media(key); // fourth fragment: over the count
    List<ViewerQueue.Item> out = drain(q);
    assertEquals(2, out.size());
    assertEquals(MseMessages.dropped(120), ((ViewerQueue.Text) out.get(0)).json());
    assertSame(key, ((ViewerQueue.Media) out.get(1)).fragment());
  }

  @Test
  void bytesNeverPassTheBoundWhateverComes() {
    ViewerQueue q = new ViewerQueue(10_000, 50);
    for (int i = 0; i < 10_000; i++) {
      q.media(fragment(100 + (i * 37) % 900, i % 25 == 0, i * 40L));
      assertTrue(q.bytes() <= 10_000 && q.fragments() <= 50);
    }
  }

  @Test
  void awaitKeyframeStartsSilently() {
    ViewerQueue q = new ViewerQueue(1000, 10);
    q.awaitKeyframe();
    q.media(fragment(10, false, 0));
    Fragment key = fragment(10, true, 40);
    q.media(key);
    List<ViewerQueue.Item> out = drain(q);
    assertEquals(1, out.size(), "a start is not a drop");
    assertSame(key, ((ViewerQueue.Media) out.get(0)).fragment());
    assertNull(q.poll());
  }
}
