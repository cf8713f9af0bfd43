package io.camflow.ingest.source;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * FFmpeg's interrupt callback, shared by every source. JavaCPP allows only a handful of native
 * callback instances per type, so one static callback serves all contexts and finds its source
 * through the opaque pointer's address. Returning 1 makes FFmpeg abandon a blocking call: used for
 * read timeouts (no packet within the deadline) and for stopping a source from another thread.
 */
final class FfmpegInterrupts {

  private static final Map<Long, Handle> HANDLES = new ConcurrentHashMap<>();

  private static final AVIOInterruptCB.Callback_Pointer CALLBACK =
      new AVIOInterruptCB.Callback_Pointer() {
        @Override
        public int call(Pointer opaque) {
          Handle h = opaque == null ? null : HANDLES.get(opaque.address());
          return h == null || h.shouldAbort() ? 1 : 0;
        }
      };

  private FfmpegInterrupts() {}

  static Handle register() {
    Handle h = new Handle();
    HANDLES.put(h.key.address(), h);
    return h;
  }

  static final class Handle {
    private final LongPointer key = new LongPointer(1);
    private volatile boolean interrupted;
    private volatile long deadlineNanos = Long.MAX_VALUE;
    private volatile boolean timedOut;

    void install(AVFormatContext ctx) {
      AVIOInterruptCB cb = ctx.interrupt_callback();
      cb.callback(CALLBACK);
      cb.opaque(key);
    }

    void arm(Duration timeout) {
      timedOut = false;
      deadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    void interrupt() {
      interrupted = true;
    }

    boolean interrupted() {
      return interrupted;
    }

    boolean timedOut() {
      return timedOut;
    }

    private boolean shouldAbort() {
      if (interrupted) {
        return true;
      }
      if (System.nanoTime() - deadlineNanos > 0) {
        timedOut = true;
        return true;
      }
      return false;
    }

    void release() {
      HANDLES.remove(key.address());
      key.close();
    }
  }
}
