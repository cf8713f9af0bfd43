package io.camflow.media.record;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The headers of camflow's records: UTF-8 text, read back with errors that name the header. */
final class RecordHeaders {

  private RecordHeaders() {}

  static void put(Map<String, byte[]> h, String name, Object value) {
    h.put(name, String.valueOf(value).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @param record what the headers belong to, for the error ("CMAF record", "thumbnail")
   */
  static String text(Map<String, byte[]> h, String name, String record) {
    byte[] v = h.get(name);
    if (v == null) {
      throw new IllegalArgumentException(record + " lacks header " + name);
    }
    return new String(v, StandardCharsets.UTF_8);
  }

  static long number(Map<String, byte[]> h, String name, String record) {
    String s = text(h, name, record);
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("header " + name + " is not a number: '" + s + "'");
    }
  }
}
