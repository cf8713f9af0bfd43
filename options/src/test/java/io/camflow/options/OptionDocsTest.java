package io.camflow.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md's option tables are what the definitions say, word for word. */
class OptionDocsTest {

  static final Path DOCS = Path.of("..", "docs", "configuration.md");

  @Test
  void theDocsTablesAreGeneratedFromTheDefinitions() throws Exception {
    String markdown = Files.readString(DOCS);
    String expected = OptionDocs.rewrite(markdown);
    if (!expected.equals(markdown)) {
      Path fresh = Path.of("target", "configuration.md");
      Files.writeString(fresh, expected);
      assertEquals(
          expected,
          markdown,
          "docs/configuration.md's option tables differ from the definitions; "
              + "./camflow config --write-docs rewrites them (the expected file: options/"
              + fresh
              + ")");
    }
  }

  @Test
  void everyOptionAndVariableIsInTheDocs() throws Exception {
    String markdown = Files.readString(DOCS);
    for (Option<?> o : CamflowOptions.all()) {
      assertTrue(markdown.contains("`" + o.key() + "`"), o.key());
      assertTrue(markdown.contains("`" + o.env() + "`"), o.env());
    }
    for (Option<?> o : StreamOptions.all()) {
      assertTrue(markdown.contains("`" + StreamOptions.streamKey(o) + "`"), o.key());
    }
  }
}
