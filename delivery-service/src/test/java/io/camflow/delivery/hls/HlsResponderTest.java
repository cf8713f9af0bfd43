package io.camflow.delivery.hls;

import static io.camflow.delivery.hls.SyntheticCmaf.INIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.door.Reply;
import io.camflow.media.hls.BlockingRequest;
import io.camflow.media.hls.HlsResource;
import io.camflow.media.hls.PlaylistWindow;
import io.camflow.media.record.CmafRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HlsResponderTest {

  final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  final StreamWindow window = new StreamWindow(new PlaylistWindow());
  final HeldRequests held = new HeldRequests(timer);
  final HlsResponder responder = new HlsResponder(window, held, Duration.ofMillis(300));
  final LinkedBlockingQueue<Reply> replies = new LinkedBlockingQueue<>();

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  void feed(List<SyntheticCmaf.Timed> records) {
    for (SyntheticCmaf.Timed t : records) {
      if (window.accept(t.record(), t.timestampMillis())) {
        held.recheck();
      }
    }
  }

  void request(HlsResource resource, BlockingRequest request) {
    responder.respond(resource, request, replies::add);
  }

  Reply now() {
    Reply r = replies.poll();
    assertTrue(r != null, "answered at once");
    return r;
  }

  Reply within(long millis) throws InterruptedException {
    Reply r = replies.poll(millis, TimeUnit.MILLISECONDS);
    assertTrue(r != null, "answered within " + millis + " ms");
    return r;
  }

  void live() {
    feed(List.of(SyntheticCmaf.init(INIT)));
    feed(SyntheticCmaf.segment(0, 6));
    feed(SyntheticCmaf.segment(1, 6));
    feed(SyntheticCmaf.part(2, 0, false, 6)); // segment 2 in progress, part 2.1 hinted
  }

  @Test
  void thePlaylistAndMediaAreAnsweredAtOnceWithTheirTypes() {
    live();
    request(HlsResource.PLAYLIST, BlockingRequest.NONE);
    Reply playlist = now();
    assertEquals(200, playlist.status());
    assertEquals("application/vnd.apple.mpegurl", playlist.contentType());
    assertEquals("no-cache", playlist.cacheControl());
    assertTrue(
        new String(playlist.bytes())
            .contains("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"part-2.1.m4s\""));

    request(new HlsResource.Segment(1), BlockingRequest.NONE);
    Reply segment = now();
    assertEquals(200, segment.status());
    assertEquals("video/mp4", segment.contentType());
    assertEquals(Reply.IMMUTABLE, segment.cacheControl());
    assertEquals(18, segment.body().size());

    request(new HlsResource.Init(INIT), BlockingRequest.NONE);
    assertEquals("init1000", new String(now().bytes()));
    request(new HlsResource.Part(2, 0), BlockingRequest.NONE);
    assertEquals("2.0.0;2.0.1;2.0.2;", new String(now().bytes()));
  }

  @Test
  void unknownMediaIs404() {
    live();
    request(new HlsResource.Init(1), BlockingRequest.NONE);
    assertEquals(404, now().status());
    request(new HlsResource.Segment(2), BlockingRequest.NONE);
    assertEquals(404, now().status(), "segment in progress");
    request(new HlsResource.Segment(99), BlockingRequest.NONE);
    assertEquals(404, now().status());
    request(new HlsResource.Part(2, 2), BlockingRequest.NONE);
    assertEquals(404, now().status(), "beyond the hinted part");
  }

  @Test
  void aBlockingReloadWaitsForThePartAndIsAnsweredWhenItEnds() throws Exception {
    live();
    request(HlsResource.PLAYLIST, BlockingRequest.of(2, 1));
    assertNull(replies.poll(), "held");
    assertEquals(1, held.size());
    feed(SyntheticCmaf.part(2, 1, false, 6).subList(0, 3)); // its chunks, not its end
    assertNull(replies.poll(), "still held: the part is not complete");
    feed(SyntheticCmaf.part(2, 1, false, 6).subList(3, 4));
    Reply r = now();
    assertEquals(200, r.status());
    assertTrue(new String(r.bytes()).contains("part-2.1.m4s"));
    assertEquals(0, held.size());
  }

  @Test
  void aBlockingReloadForALaterSegmentWaitsForIt() {
    live();
    request(HlsResource.PLAYLIST, BlockingRequest.of(2));
    assertNull(replies.poll());
    for (int p = 1; p < 6; p++) {
      feed(SyntheticCmaf.part(2, p, false, 6));
      assertNull(replies.poll());
    }
    feed(
        List.of(
            new SyntheticCmaf.Timed(
                new CmafRecord.SegmentEnd("s", 0, INIT, 2, 1_920_000, 6, false), 0)));
    assertTrue(new String(now().bytes()).contains("seg-2.m4s"));
  }

  @Test
  void aBlockingReloadBeyondTheAddressShareIs503AtOnce() {
    HeldRequests capped = new HeldRequests(timer, new HoldQuota(10, 1));
    HlsResponder responder = new HlsResponder(window, capped, Duration.ofMillis(300));
    live();
    responder.respond(
        HlsResource.PLAYLIST, BlockingRequest.of(2, 1), "", "203.0.113.7", replies::add);
    assertNull(replies.poll(), "held");
    responder.respond(
        new HlsResource.Part(2, 1), BlockingRequest.NONE, "", "203.0.113.7", replies::add);
    Reply busy = now();
    assertEquals(
        503, busy.status(), "not the current playlist: the client would ask again at once");
    assertEquals("1", busy.headers().get("Retry-After"));
    responder.respond(
        HlsResource.PLAYLIST, BlockingRequest.of(2, 1), "", "203.0.113.8", replies::add);
    assertNull(replies.poll(), "another address is held");
    assertEquals(2, capped.size());
    feed(SyntheticCmaf.part(2, 1, false, 6));
    capped.recheck();
    assertEquals(200, now().status());
    assertEquals(200, now().status());
    assertEquals(0, capped.size());
  }

  @Test
  void tooFarAheadIs400() {
    live();
    request(HlsResource.PLAYLIST, BlockingRequest.of(9));
    assertEquals(400, now().status());
    request(HlsResource.PLAYLIST, BlockingRequest.of(2, 40));
    assertEquals(400, now().status());
  }

  @Test
  void theHintedPartIsHeldUntilComplete() throws Exception {
    live();
    request(new HlsResource.Part(2, 1), BlockingRequest.NONE);
    assertNull(replies.poll());
    feed(SyntheticCmaf.part(2, 1, false, 6));
    assertEquals("2.1.0;2.1.1;2.1.2;", new String(now().bytes()));
  }

  @Test
  void aStartingStreamHoldsThePlaylistUntilItsFirstSegmentIsComplete() throws Exception {
    request(HlsResource.PLAYLIST, BlockingRequest.NONE);
    assertNull(replies.poll());
    feed(List.of(SyntheticCmaf.init(INIT)));
    assertNull(replies.poll());
    feed(SyntheticCmaf.part(0, 0, false, 6));
    assertNull(replies.poll(), "a part alone gives players without LL-HLS nothing to play");
    for (int p = 1; p < 6; p++) {
      feed(SyntheticCmaf.part(0, p, p == 5, 6));
    }
    assertEquals(200, now().status());
  }

  @Test
  void aStartingStreamThatDoesNotStartIs503() throws Exception {
    request(HlsResource.PLAYLIST, BlockingRequest.NONE);
    assertEquals(503, within(2_000).status());
    assertEquals(0, held.size());
  }
}
