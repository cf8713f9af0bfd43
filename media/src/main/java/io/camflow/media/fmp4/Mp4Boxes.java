package io.camflow.media.fmp4;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Walks the box structure of MP4 data: types, offsets, sizes, and the children of the container
 * boxes camflow meets (the movie, track, fragment and sample-table hierarchy and the sample entries
 * of {@code stsd}). It reads no field beyond what framing needs; clip export (ProgressiveMovie,
 * FragmentReader), tests and debugging build on it.
 *
 * <pre>{@code
 * List<Mp4Boxes.Box> boxes = Mp4Boxes.parse(initSegment);
 * Mp4Boxes.Box avcC = Mp4Boxes.find(boxes, "moov/trak/mdia/minf/stbl/stsd/avc1/avcC").orElseThrow();
 * byte[] record = Mp4Boxes.payload(initSegment, avcC);
 * }</pre>
 */
public final class Mp4Boxes {

  /** Boxes that hold nothing but boxes. */
  private static final Set<String> CONTAINERS =
      Set.of(
          "moov", "trak", "mdia", "minf", "dinf", "stbl", "mvex", "moof", "traf", "edts", "mfra",
          "udta", "sinf", "schi", "tref");

  /** Full boxes whose payload is an entry count and then boxes. */
  private static final Set<String> ENTRY_LISTS = Set.of("stsd", "dref");

  /** VisualSampleEntry: 78 bytes of fields before its boxes (ISO/IEC 14496-12 12.1.3). */
  private static final Set<String> VISUAL_ENTRIES =
      Set.of("avc1", "avc3", "hvc1", "hev1", "mp4v", "encv", "av01", "vp09");

  /** AudioSampleEntry / QuickTime SoundDescription: 28 bytes (version 0) before its boxes. */
  private static final Set<String> AUDIO_ENTRIES =
      Set.of("mp4a", "ulaw", "alaw", "enca", "ipcm", "Opus", "ac-3", "ec-3", "fLaC", ".mp3");

  /** Deeper than any real file; stops crafted input from exhausting the stack. */
  private static final int MAX_DEPTH = 32;

  private Mp4Boxes() {}

  /**
   * One box.
   *
   * @param offset of the first header byte in the parsed array
   * @param size whole box, header included
   * @param headerSize 8, or 16 with a 64-bit size
   * @param children the boxes inside, for the containers this reader knows; empty otherwise
   */
  public record Box(String type, int offset, int size, int headerSize, List<Box> children) {

    public Box {
      children = List.copyOf(children);
    }

    /** Offset of the first byte after the header. */
    public int payloadOffset() {
      return offset + headerSize;
    }

    public int payloadSize() {
      return size - headerSize;
    }

    /** Offset of the first byte after the box. */
    public int end() {
      return offset + size;
    }

    /** The first child of this type. */
    public Optional<Box> child(String childType) {
      return children.stream().filter(b -> b.type.equals(childType)).findFirst();
    }

    /** Every child of this type, in order. */
    public List<Box> children(String childType) {
      return children.stream().filter(b -> b.type.equals(childType)).toList();
    }

    /** The first box at a slash-separated path below this one, e.g. {@code "mdia/mdhd"}. */
    public Optional<Box> find(String path) {
      return Mp4Boxes.find(children, path);
    }
  }

  /**
   * Parses a sequence of boxes filling all of {@code data}.
   *
   * @throws IllegalArgumentException if a box header is truncated or a size runs past its parent
   */
  public static List<Box> parse(byte[] data) {
    Objects.requireNonNull(data, "data");
    return parse(data, 0, data.length);
  }

  /** Parses the boxes in {@code data[offset, offset + length)}. */
  public static List<Box> parse(byte[] data, int offset, int length) {
    Objects.requireNonNull(data, "data");
    Objects.checkFromIndexSize(offset, length, data.length);
    return parseRange(data, offset, offset + length, 0);
  }

  /** The first box at a slash-separated path, e.g. {@code "moov/trak/mdia/mdhd"}. */
  public static Optional<Box> find(List<Box> boxes, String path) {
    List<Box> all = findAll(boxes, path);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /** Every box at a slash-separated path, in file order, e.g. all {@code "moof/traf"}. */
  public static List<Box> findAll(List<Box> boxes, String path) {
    List<Box> level = boxes;
    String[] types = path.split("/");
    for (int i = 0; i < types.length; i++) {
      List<Box> next = new ArrayList<>();
      for (Box box : level) {
        if (box.type.equals(types[i])) {
          next.add(box);
        }
      }
      if (i == types.length - 1) {
        return next;
      }
      level = next.stream().flatMap(b -> b.children.stream()).toList();
    }
    return List.of();
  }

  /** A copy of the box's payload (everything after the header). */
  public static byte[] payload(byte[] data, Box box) {
    return Arrays.copyOfRange(data, box.payloadOffset(), box.end());
  }

  /** An indented tree of types and sizes, for logs and failing tests. */
  public static String dump(List<Box> boxes) {
    StringBuilder out = new StringBuilder();
    dump(boxes, 0, out);
    return out.toString();
  }

  private static void dump(List<Box> boxes, int depth, StringBuilder out) {
    for (Box box : boxes) {
      out.append("  ".repeat(depth))
          .append(box.type)
          .append(" @")
          .append(box.offset)
          .append(" size ")
          .append(box.size)
          .append('\n');
      dump(box.children, depth + 1, out);
    }
  }

  private static List<Box> parseRange(byte[] data, int from, int to, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(
          "boxes nested deeper than " + MAX_DEPTH + " at offset " + from);
    }
    List<Box> boxes = new ArrayList<>();
    int pos = from;
    while (pos < to) {
      if (to - pos < 8) {
        throw new IllegalArgumentException(
            "truncated box header at offset " + pos + ": " + (to - pos) + " bytes left");
      }
      long size = u32(data, pos);
      String type = new String(data, pos + 4, 4, StandardCharsets.ISO_8859_1);
      int headerSize = 8;
      if (size == 1) { // 64-bit largesize follows the type
        if (to - pos < 16) {
          throw new IllegalArgumentException(
              "truncated 64-bit size of '" + type + "' at offset " + pos);
        }
        size = (u32(data, pos + 8) << 32) | u32(data, pos + 12);
        headerSize = 16;
      } else if (size == 0) { // extends to the end of the enclosing range
        size = to - pos;
      }
      if (size < headerSize || size > to - pos) {
        throw new IllegalArgumentException(
            "box '"
                + type
                + "' at offset "
                + pos
                + " has size "
                + size
                + " but "
                + (to - pos)
                + " bytes are left");
      }
      int end = pos + (int) size;
      int childrenFrom = childrenOffset(data, type, pos + headerSize, end);
      List<Box> children =
          childrenFrom < 0 ? List.of() : parseRange(data, childrenFrom, end, depth + 1);
      boxes.add(new Box(type, pos, (int) size, headerSize, children));
      pos = end;
    }
    return boxes;
  }

  /**
   * Where the child boxes of a box of this type start, or -1 if this reader treats it as a leaf.
   */
  private static int childrenOffset(byte[] data, String type, int payload, int end) {
    int skip;
    if (CONTAINERS.contains(type)) {
      skip = 0;
    } else if (ENTRY_LISTS.contains(type)) {
      skip = 8; // version, flags, entry_count
    } else if (VISUAL_ENTRIES.contains(type)) {
      skip = 78;
    } else if (AUDIO_ENTRIES.contains(type)) {
      // QuickTime sound description versions 1 and 2 append 16 and 36 bytes of fields.
      int version =
          end - payload >= 10 ? ((data[payload + 8] & 0xFF) << 8) | (data[payload + 9] & 0xFF) : 0;
      skip = 28 + (version == 1 ? 16 : version == 2 ? 36 : 0);
    } else {
      return -1;
    }
    if (end - payload < skip) {
      throw new IllegalArgumentException(
          "box '"
              + type
              + "' of "
              + (end - payload)
              + " payload bytes is shorter than its "
              + skip
              + " bytes of fields");
    }
    return payload + skip;
  }

  private static long u32(byte[] data, int pos) {
    return ((long) (data[pos] & 0xFF) << 24)
        | ((data[pos + 1] & 0xFF) << 16)
        | ((data[pos + 2] & 0xFF) << 8)
        | (data[pos + 3] & 0xFF);
  }
}
