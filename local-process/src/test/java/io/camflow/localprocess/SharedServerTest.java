package io.camflow.localprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedServerTest {

  @Test
  void startsOnFirstUseAndAgainOnlyWhenTheFirstStopped() {
    AtomicInteger starts = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    SharedServer<Integer> shared =
        new SharedServer<>("the shared test server", starts::incrementAndGet, s -> running.get());
    assertEquals(1, shared.get());
    assertEquals(1, shared.get());
    running.set(false);
    assertEquals(2, shared.get());
  }

  @Test
  void aServerThatExitedAtOnceIsStartedOnceMore() {
    AtomicInteger starts = new AtomicInteger();
    SharedServer<Integer> shared =
        new SharedServer<>(
            "the shared test server",
            () -> {
              if (starts.incrementAndGet() == 1) {
                throw new ServerExitedException("port taken");
              }
              return starts.get();
            },
            s -> true);
    assertEquals(2, shared.get());
  }

  @Test
  void aFailureIsRememberedAndATimeoutNotRetried() {
    AtomicInteger starts = new AtomicInteger();
    IllegalStateException timeout = new IllegalStateException("not ready within 60 s");
    SharedServer<Integer> shared =
        new SharedServer<>(
            "the shared test server",
            () -> {
              starts.incrementAndGet();
              throw timeout;
            },
            s -> true);
    assertSame(timeout, assertThrows(IllegalStateException.class, shared::get));
    IllegalStateException later = assertThrows(IllegalStateException.class, shared::get);
    assertEquals("the shared test server failed to start earlier", later.getMessage());
    assertSame(timeout, later.getCause());
    assertEquals(1, starts.get());
  }

  @Test
  void twoExitsInARowFailWithBoth() {
    SharedServer<Integer> shared =
        new SharedServer<>(
            "the shared test server",
            () -> {
              throw new ServerExitedException("port taken");
            },
            s -> true);
    ServerExitedException e = assertThrows(ServerExitedException.class, shared::get);
    assertEquals(1, e.getSuppressed().length);
  }
}
