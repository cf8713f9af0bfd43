package io.camflow.ingest.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class YamlSyntaxErrorTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "found undefined alias hunter2 | an alias (*name) refers to no anchor (&name) defined before it",
        "found undefined tag handle !hunter2! | found undefined tag handle",
        "duplicate tag handle !hunter2! | duplicate tag handle",
        "expected URI in UTF-8: hunter2 | expected URI in UTF-8",
        "found unknown escape character q(113) | unknown escape sequence in a double-quoted value; write \\\\ for a "
            + "backslash, or use single quotes",
        "expected escape sequence of 4 hexadecimal numbers, but found: 12hu | a \\x, \\u or \\U escape in a "
            + "double-quoted value needs 4 hex digits; or use single quotes",
        "expected alphabetic or numeric character, but found h(104) | expected alphabetic or numeric character",
        "expected URI escape sequence of 2 hexadecimal numbers, but found h(104) and u(117) | expected URI escape "
            + "sequence of 2 hexadecimal numbers",
        "expected <block end>, but found '<block mapping start>' | expected <block end>, but found "
            + "'<block mapping start>'; check the indentation",
        "expected <block end>, but found '}' | expected <block end>, but found '}'; check the indentation",
        "expected the node content, but found '<block end>' | expected the node content, but found '<block end>'",
        "expected ',' or ']', but got <stream end> | expected ',' or ']', but got <stream end>",
        "found character '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation) | found a tab; "
            + "YAML indents with spaces only",
        "found character '@' that cannot start any token. (Do not use @ for indentation) | a value cannot start "
            + "with '@'; put the value in quotes",
        "mapping values are not allowed here | mapping values are not allowed here (a value with ': ' in it needs "
            + "quotes)",
        "found unexpected end of stream | found unexpected end of stream",
      })
  void keepsTheKindOfProblemAndDropsTheInput(String problem, String expected) {
    assertEquals(expected, YamlSyntaxError.sanitize(problem));
  }
}
