package io.camflow.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TypesTest {

  /** Wide bounds, so the parsing itself is what is tested. */
  static final OptionType<Long> SIZE = Types.dataSize(1, Long.MAX_VALUE);

  @ParameterizedTest
  @CsvSource({
    "1B, 1",
    "500MB, 500000000",
    "50GB, 50000000000",
    "1.5TB, 1500000000000",
    "2TB, 2000000000000",
    "1PB, 1000000000000000",
    "1KiB, 1024",
    "16MiB, 16777216",
    "1.5GiB, 1610612736",
    "2TiB, 2199023255552",
    "1PiB, 1125899906842624",
    "0.5KB, 500",
    "' 50GB ', 50000000000",
  })
  void readsADataSizeInDecimalOrBinaryUnits(String text, long bytes) {
    assertEquals(bytes, SIZE.parse(text));
  }

  @ParameterizedTest
  @CsvSource({
    "'', 'empty; write e.g. 50GB (units: B, KB, MB, GB, TB, PB, KiB, MiB, GiB, TiB or PiB)'",
    "500, 'has no unit; write e.g. 500GB (units: B, KB, MB, GB, TB, PB, KiB, MiB, GiB, TiB or PiB)'",
    "-5GB, cannot be negative",
    "50 GB, must not contain spaces; write e.g. 50GB",
    "50gb, 'has an unknown unit ''gb'' (did you mean ''GB''?); units: B, KB, MB, GB, TB, PB, KiB,"
        + " MiB, GiB, TiB or PiB'",
    "2tib, 'has an unknown unit ''tib'' (did you mean ''TiB''?); units: B, KB, MB, GB, TB, PB, KiB,"
        + " MiB, GiB, TiB or PiB'",
    "50G, 'has an unknown unit ''G''; units: B, KB, MB, GB, TB, PB, KiB, MiB, GiB, TiB or PiB'",
    "GB, 'is not a data size; write e.g. 500MB, 50GB, 1.5TB or 2TiB'",
    "5e9B, 'is not a data size; write e.g. 500MB, 50GB, 1.5TB or 2TiB'",
    "1.5B, is not a whole number of bytes",
    "99999999999PB, is too large",
  })
  void rejectsWhatIsNotADataSizeSayingWhatIsExpected(String text, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SIZE.parse(text));
    assertEquals(message, e.getMessage());
  }

  @Test
  void aSizeOutsideTheBoundsNamesThem() {
    OptionType<Long> bounded = Types.dataSize(100_000_000L, 1_000_000_000_000_000L);
    assertEquals("a data size from 100MB to 1PB", bounded.describe());
    assertEquals(100_000_000L, bounded.parse("100MB"));
    assertEquals(1_000_000_000_000_000L, bounded.parse("1PB"));
    for (String outside : new String[] {"99MB", "95MiB", "1.1PB", "1PiB"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> bounded.parse(outside), outside);
      assertEquals("must be between 100MB and 1PB", e.getMessage(), outside);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "1, 1B",
    "1000, 1KB",
    "1024, 1KiB",
    "500000000, 500MB",
    "1500000000000, 1500GB",
    "16777216, 16MiB",
    "1048576000, 1000MiB",
    "2199023255552, 2TiB",
    "123456789, 123456789B",
  })
  void writesASizeInTheUnitWithTheFewestDigits(long bytes, String text) {
    assertEquals(text, SIZE.format(bytes));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 999, 1000, 1024, 16_777_216, 50_000_000_000L, 1L << 50, Long.MAX_VALUE})
  void whatIsWrittenReadsBack(long bytes) {
    assertEquals(bytes, SIZE.parse(SIZE.format(bytes)));
  }

  @Test
  void theDvrSizeBoundIsOptionalAndBoundedToWhatKafkaCanDeleteBy() {
    Option<Long> o = StreamOptions.DVR_MAX_SIZE;
    assertEquals("dvr.maxSize", o.key());
    assertNull(o.defaultValue(), "unbounded unless set");
    assertEquals("unbounded", o.defaultText());
    assertEquals(50_000_000_000L, o.type().parse("50GB"));
    IllegalArgumentException small =
        assertThrows(IllegalArgumentException.class, () -> o.require(10_000_000L));
    assertEquals("dvr.maxSize must be between 100MB and 1PB, not 10MB", small.getMessage());
  }
}
