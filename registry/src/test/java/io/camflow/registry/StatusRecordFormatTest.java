package io.camflow.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The {@code camflow.status} value byte for byte as ingest wrote it before the type moved here
 * (Jackson's data binding of the record then): docs/record-format.md's example, nulls and the
 * spelling of numbers.
 */
class StatusRecordFormatTest {

  private static String json(StreamStatus s) {
    return new String(StatusRecordFormat.encode(s), StandardCharsets.UTF_8);
  }

  @Test
  void theDocumentedExample() {
    StreamStatus s =
        new StreamStatus(
            "frontdoor/main",
            StreamState.STREAMING.id(),
            1795282260898L,
            "a383c7ec-4b42-4260-a483-522e5658846d",
            "h264",
            "avc1.42c01e",
            640,
            360,
            25.0,
            1203.4,
            null,
            0,
            new StreamStatus.Counters(1, 0, 0, 1250, 50, 7520133),
            "ingest-28813",
            1795282310898L);
    assertEquals(
        "{\"stream\":\"frontdoor/main\",\"state\":\"streaming\",\"since\":1795282260898,"
            + "\"session\":\"a383c7ec-4b42-4260-a483-522e5658846d\",\"codec\":\"h264\","
            + "\"codecString\":\"avc1.42c01e\",\"width\":640,\"height\":360,\"fps\":25.0,"
            + "\"bitrateKbps\":1203.4,\"lastError\":null,\"nextRetryAt\":0,\"counters\":{"
            + "\"connects\":1,\"failures\":0,\"authFailures\":0,\"accessUnits\":1250,"
            + "\"keyframes\":50,\"bytes\":7520133},\"instance\":\"ingest-28813\","
            + "\"updatedAt\":1795282310898}",
        json(s));
  }

  @Test
  void nothingKnownYetAndTextThatNeedsEscaping() {
    StreamStatus s =
        new StreamStatus(
            "a/b",
            null,
            0,
            null,
            null,
            null,
            0,
            0,
            0,
            0.1,
            "x: \"y\"\u00e9\n",
            5,
            new StreamStatus.Counters(0, 0, 0, 0, 0, 0),
            null,
            1);
    assertEquals(
        "{\"stream\":\"a/b\",\"state\":null,\"since\":0,\"session\":null,\"codec\":null,"
            + "\"codecString\":null,\"width\":0,\"height\":0,\"fps\":0.0,\"bitrateKbps\":0.1,"
            + "\"lastError\":\"x: \\\"y\\\"\u00e9\\n\",\"nextRetryAt\":5,\"counters\":{"
            + "\"connects\":0,\"failures\":0,\"authFailures\":0,\"accessUnits\":0,"
            + "\"keyframes\":0,\"bytes\":0},\"instance\":null,\"updatedAt\":1}",
        json(s));
  }

  @Test
  void extremeNumbers() {
    StreamStatus s =
        new StreamStatus(
            "a/b",
            StreamState.OFFLINE.id(),
            1,
            "s",
            null,
            null,
            0,
            0,
            1e-7,
            1.0e20,
            "internal: x",
            5,
            new StreamStatus.Counters(0, 0, 0, 0, 0, Long.MAX_VALUE),
            "i",
            1);
    assertEquals(
        "{\"stream\":\"a/b\",\"state\":\"offline\",\"since\":1,\"session\":\"s\",\"codec\":null,"
            + "\"codecString\":null,\"width\":0,\"height\":0,\"fps\":1.0E-7,\"bitrateKbps\":1.0E20,"
            + "\"lastError\":\"internal: x\",\"nextRetryAt\":5,\"counters\":{\"connects\":0,"
            + "\"failures\":0,\"authFailures\":0,\"accessUnits\":0,\"keyframes\":0,"
            + "\"bytes\":9223372036854775807},\"instance\":\"i\",\"updatedAt\":1}",
        json(s));
  }
}
