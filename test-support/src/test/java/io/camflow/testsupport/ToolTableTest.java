package io.camflow.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.camflow.testsupport.ToolTable.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Holds the camera scripts' GStreamer launch lines, for every combination of the options that
 * choose elements, against test-tools.tsv: an element added to a script without a row (and so
 * without the package that ./camflow test installs for it) fails here, by name, instead of on a
 * fresh machine. The scripts list their elements without GStreamer ({@code --list-elements}), so
 * this needs only python3.
 */
class ToolTableTest {

  private static final ToolTable TABLE = ToolTable.load();

  @Test
  void everyElementOfEveryTestCameraLaunchLineHasARow() throws Exception {
    List<String> problems = new ArrayList<>();
    int combinations = 0;
    for (TestCamera.Codec codec : TestCamera.Codec.values()) {
      for (TestCamera.Audio audio : TestCamera.Audio.values()) {
        for (int bframes : new int[] {0, 2}) {
          for (boolean clockCode : new boolean[] {false, true}) {
            TestCamera camera =
                TestCamera.builder()
                    .codec(codec)
                    .audio(audio)
                    .bframes(bframes)
                    .clockCode(clockCode)
                    .build();
            String options =
                codec
                    + ", audio "
                    + audio
                    + ", "
                    + bframes
                    + " B-frames"
                    + (clockCode ? ", clock code" : "");
            problems.addAll(
                unlisted(
                    CameraScripts.CAMERA + " (" + options + ")", listElements(camera.command())));
            combinations++;
          }
        }
      }
    }
    System.out.println(combinations + " test camera launch lines checked");
    assertNoProblems(problems);
  }

  @Test
  void everyElementOfTheReplayCamerasHasARow() throws Exception {
    List<String> command =
        ReplayCameras.command(new ReplayCameras.Settings(3, 640, 360, 25, 50, 512), 8554);
    assertNoProblems(unlisted(CameraScripts.REPLAY, listElements(command)));
  }

  /**
   * Guards the scripts' launch-line reading: a chain that starts mid-segment (audio) must be seen
   * too.
   */
  @Test
  void theListingFindsEveryChain() throws Exception {
    Set<String> camera =
        listElements(
            TestCamera.builder()
                .codec(TestCamera.Codec.H264)
                .audio(TestCamera.Audio.AAC)
                .clockCode(true)
                .build()
                .command());
    assertEquals(
        List.of(
            "videotestsrc",
            "timeoverlay",
            "cairooverlay",
            "videoconvert",
            "x264enc",
            "rtph264pay",
            "audiotestsrc",
            "audioconvert",
            "audioresample",
            "voaacenc",
            "rtpmp4gpay"),
        List.copyOf(camera));
    Set<String> h265 =
        listElements(
            TestCamera.builder()
                .codec(TestCamera.Codec.H265)
                .audio(TestCamera.Audio.PCMA)
                .build()
                .command());
    assertTrue(
        h265.containsAll(List.of("x265enc", "rtph265pay", "alawenc", "rtppcmapay")),
        h265.toString());
    Set<String> replay =
        listElements(
            ReplayCameras.command(new ReplayCameras.Settings(1, 320, 180, 25, 25, 256), 1));
    assertEquals(
        Set.of(
            "videotestsrc",
            "timeoverlay",
            "videoconvert",
            "x264enc",
            "h264parse",
            "appsink",
            "appsrc",
            "rtph264pay"),
        replay);
  }

  @Test
  void theTableNamesThePackagesTheIssueFoundMissing() {
    assertEquals(
        "gstreamer1.0-x",
        TABLE.find(Kind.GST_ELEMENT, "timeoverlay").orElseThrow().debianPackage());
    assertEquals(
        "GStreamer element timeoverlay (Debian package gstreamer1.0-x)",
        TABLE.find(Kind.GST_ELEMENT, "timeoverlay").orElseThrow().toString());
    assertEquals(
        "python3-gi-cairo",
        TABLE.find(Kind.PYTHON_MODULE, "gi._gi_cairo").orElseThrow().debianPackage());
    assertEquals(
        "python3",
        TABLE.find(Kind.COMMAND, TestCamera.PYTHON.toString()).orElseThrow().debianPackage());
  }

  /**
   * RTSPS test cameras serve TLS through GLib's TLS backend, a plug-in found missing only when a
   * camera starts.
   */
  @Test
  void rtspsCamerasNeedGlibNetworking() {
    assertTrue(
        TABLE.all().stream()
            .anyMatch(
                t ->
                    t.kind() == Kind.FILE
                        && t.debianPackage().equals("glib-networking")
                        && t.name().endsWith("/gio/modules/libgiognutls.so")),
        "a file row for GLib's GnuTLS module");
    assertTrue(
        TABLE.find(Kind.PYTHON_MODULE, "gi.repository.Gio").isPresent(),
        "Gio (TlsCertificate) has a row");
  }

  @Test
  void malformedRowsAreRefusedWithTheirLine() {
    IllegalArgumentException kind =
        assertThrows(
            IllegalArgumentException.class,
            () -> ToolTable.parse("# header\ngst-elem\ttimeoverlay\tgstreamer1.0-x\n"));
    assertEquals(
        "test-tools.tsv line 2: unknown kind 'gst-elem' (known: command, gst-element, python-module, file)",
        kind.getMessage());
    IllegalArgumentException columns =
        assertThrows(
            IllegalArgumentException.class,
            () -> ToolTable.parse("gst-element timeoverlay gstreamer1.0-x\n"));
    assertTrue(
        columns
            .getMessage()
            .startsWith("test-tools.tsv line 1: expected kind, name, Debian package"),
        columns.getMessage());
    IllegalArgumentException twice =
        assertThrows(
            IllegalArgumentException.class,
            () -> ToolTable.parse("command\tnode\tnodejs\ncommand\tnode\tnodejs\tagain\n"));
    assertEquals("test-tools.tsv line 2: command node has a row already", twice.getMessage());
    IllegalArgumentException pkg =
        assertThrows(
            IllegalArgumentException.class, () -> ToolTable.parse("command\tnode\tNode JS\n"));
    assertEquals("test-tools.tsv line 1: 'Node JS' is not a Debian package name", pkg.getMessage());
  }

  private static List<String> unlisted(String script, Set<String> elements) {
    return elements.stream()
        .filter(e -> TABLE.find(Kind.GST_ELEMENT, e).isEmpty())
        .map(e -> script + " uses GStreamer element " + e + ", which test-tools.tsv does not list")
        .toList();
  }

  private static void assertNoProblems(List<String> problems) {
    if (!problems.isEmpty()) {
      fail(
          String.join("\n", new LinkedHashSet<>(problems))
              + "\nadd a row 'gst-element<TAB><name><TAB><Debian"
              + " package>' for each (the package: dpkg -S on the Filename that gst-inspect-1.0 <name> shows)");
    }
  }

  /** Runs the script's command line with --list-elements. */
  private static Set<String> listElements(List<String> command)
      throws IOException, InterruptedException {
    List<String> listing = new ArrayList<>(command);
    listing.remove("--lifeline"); // stdin is not a pipe the test holds here
    listing.add("--list-elements");
    Process p;
    try {
      p = new ProcessBuilder(listing).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException(
          "cannot run "
              + listing.get(0)
              + ": "
              + TABLE.find(Kind.COMMAND, listing.get(0)).map(Object::toString).orElse("")
              + " is missing (./camflow test installs it)",
          e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail(String.join(" ", listing) + " failed:\n" + out);
    }
    Set<String> elements =
        new LinkedHashSet<>(out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    assertTrue(elements.size() >= 4, "too few elements listed: " + out);
    return elements;
  }
}
