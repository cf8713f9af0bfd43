package io.camflow.media.g711;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.Codec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every code against FFmpeg's own G.711 decoders (Debian's ffmpeg: pcm_alaw, pcm_mulaw). */
class G711Test {

  @TempDir Path dir;

  /** All 256 codes decoded by {@code ffmpeg -f alaw|mulaw}, as 16-bit samples. */
  private short[] ffmpegDecodes(String format) throws Exception {
    byte[] codes = new byte[256];
    for (int i = 0; i < 256; i++) {
      codes[i] = (byte) i;
    }
    Path in = dir.resolve(format + ".raw");
    Path out = dir.resolve(format + ".s16le");
    Files.write(in, codes);
    Process ffmpeg =
        new ProcessBuilder(
                "/usr/bin/ffmpeg",
                "-nostdin",
                "-v",
                "error",
                "-y",
                "-f",
                format,
                "-ar",
                "8000",
                "-ac",
                "1",
                "-i",
                in.toString(),
                "-f",
                "s16le",
                "-c:a",
                "pcm_s16le",
                out.toString())
            .redirectErrorStream(true)
            .start();
    String log = new String(ffmpeg.getInputStream().readAllBytes());
    assertTrue(ffmpeg.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, ffmpeg.exitValue(), log);
    ByteBuffer pcm = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
    short[] samples = new short[pcm.remaining() / 2];
    pcm.asShortBuffer().get(samples);
    assertEquals(256, samples.length, "one sample per code");
    return samples;
  }

  private static short[] ours(Codec codec) {
    byte[] codes = new byte[256];
    for (int i = 0; i < 256; i++) {
      codes[i] = (byte) i;
    }
    short[] out = new short[256];
    G711.decode(codec, codes, out, 0);
    return out;
  }

  @Test
  void everyALawCodeDecodesAsFfmpegsPcmAlaw() throws Exception {
    assertArrayEquals(ffmpegDecodes("alaw"), ours(Codec.PCMA));
  }

  @Test
  void everyMuLawCodeDecodesAsFfmpegsPcmMulaw() throws Exception {
    assertArrayEquals(ffmpegDecodes("mulaw"), ours(Codec.PCMU));
  }

  @Test
  void theStandardsLandmarks() {
    // G.711 tables 1a/2a: smallest steps around zero, largest magnitudes, and both µ-law zeros
    assertEquals(8, G711.linear(Codec.PCMA, (byte) 0xD5));
    assertEquals(-8, G711.linear(Codec.PCMA, (byte) 0x55));
    assertEquals(32256, G711.linear(Codec.PCMA, (byte) 0xAA));
    assertEquals(-32256, G711.linear(Codec.PCMA, (byte) 0x2A));
    assertEquals(0, G711.linear(Codec.PCMU, (byte) 0xFF));
    assertEquals(0, G711.linear(Codec.PCMU, (byte) 0x7F));
    assertEquals(32124, G711.linear(Codec.PCMU, (byte) 0x80));
    assertEquals(-32124, G711.linear(Codec.PCMU, (byte) 0x00));
  }

  @Test
  void decodesIntoTheGivenPlaceAndRefusesWhatIsNotG711() {
    short[] out = new short[5];
    G711.decode(Codec.PCMU, new byte[] {(byte) 0x80, (byte) 0xFF}, out, 3);
    assertArrayEquals(new short[] {0, 0, 0, 32124, 0}, out);
    assertThrows(
        IndexOutOfBoundsException.class, () -> G711.decode(Codec.PCMU, new byte[3], out, 3));
    assertThrows(IllegalArgumentException.class, () -> G711.decode(Codec.AAC, new byte[1], out, 0));
  }
}
