package io.camflow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Headless Chromium playing a WHEP URL with {@code whep-play.mjs}: its JSON report. */
final class WhepPlay {

  private static final ObjectMapper JSON = new ObjectMapper();

  private WhepPlay() {}

  /**
   * Plays {@code whepUrl} for {@code seconds} (the script's options in {@code env}, e.g. AUDIO=1),
   * runs {@code whilePlaying} meanwhile, and returns the report once the browser run has ended.
   */
  static JsonNode play(String whepUrl, int seconds, Map<String, String> env, Runnable whilePlaying)
      throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("node", "src/test/js/whep-play.mjs", whepUrl, Integer.toString(seconds))
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().putAll(env);
    Process node = pb.start();
    node.getOutputStream().close();
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(node.getInputStream().readAllBytes()).trim();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    whilePlaying.run();
    assertTrue(node.waitFor(seconds + 90L, TimeUnit.SECONDS), "the browser run finishes");
    String out = output.get(5, TimeUnit.SECONDS);
    assertEquals(0, node.exitValue(), "browser driver output: " + out);
    return JSON.readTree(out.substring(out.lastIndexOf('\n') + 1));
  }
}
