package io.camflow.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParameterSetMemoryTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] SPS = HEX.parseHex("6742c01e");
  private static final byte[] PPS = HEX.parseHex("68ce3c80");
  private static final byte[] OTHER_SPS = HEX.parseHex("6742c01f");
  private static final byte[] OTHER_PPS = HEX.parseHex("68ce3c81");

  /** Complete: two of them (the codec's own test, SPS and PPS, lives in the packetizer). */
  private final ParameterSetMemory memory = new ParameterSetMemory(sets -> sets.size() >= 2);

  private static List<String> hex(List<byte[]> sets) {
    return sets.stream().map(HEX::formatHex).toList();
  }

  @Test
  void aCompleteSetIsSentAsCarriedAndRemembered() {
    assertEquals(hex(List.of(SPS, PPS)), hex(memory.ahead(List.of(SPS, PPS), List.of(), true)));
    assertEquals(
        hex(List.of(SPS, PPS)),
        hex(memory.ahead(List.of(), List.of(), true)),
        "the last seen, at the next IDR");
  }

  @Test
  void nothingIsAddedAheadOfAnAccessUnitThatIsNoRandomAccessPoint() {
    memory.ahead(List.of(SPS, PPS), List.of(), true);
    assertEquals(List.of(), memory.ahead(List.of(), List.of(OTHER_SPS, OTHER_PPS), false));
    assertEquals(
        hex(List.of(PPS)),
        hex(memory.ahead(List.of(PPS), List.of(), false)),
        "what it carries still goes");
  }

  @Test
  void theCodecConfigurationWinsOverTheLastSeenAndWhatTheAccessUnitCarriedFollows() {
    memory.ahead(List.of(SPS, PPS), List.of(), true);
    assertEquals(
        hex(List.of(OTHER_SPS, OTHER_PPS, PPS)),
        hex(memory.ahead(List.of(PPS), List.of(OTHER_SPS, OTHER_PPS), true)));
    assertEquals(
        hex(List.of(OTHER_SPS, OTHER_PPS)),
        hex(memory.ahead(List.of(), List.of(), true)),
        "remembered");
  }

  @Test
  void nothingKnownYetSendsWhatTheAccessUnitCarried() {
    assertEquals(hex(List.of(PPS)), hex(memory.ahead(List.of(PPS), List.of(SPS), true)));
  }
}
