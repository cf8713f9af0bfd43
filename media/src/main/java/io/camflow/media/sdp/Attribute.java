package io.camflow.media.sdp;

/**
 * One {@code a=} line as written: {@code value} is null for a property attribute like {@code
 * a=rtcp-mux}.
 */
public record Attribute(String name, String value) {

  /** Without the ICE password. */
  @Override
  public String toString() {
    return "a=" + name + (value == null ? "" : ":" + (name.equals("ice-pwd") ? "…" : value));
  }
}
