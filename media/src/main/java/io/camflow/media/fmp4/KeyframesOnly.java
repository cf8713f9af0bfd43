package io.camflow.media.fmp4;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fast-forward form of a CMAF segment (moof+mdat fragments): its video track keeps only the
 * keyframe that opens it, held for the video's whole duration in the segment, so a player at 8× is
 * sent and decodes one picture per segment instead of every frame; every other track (audio) is
 * kept as it is, so the media timeline stays gapless in every track. The result is moof+mdat
 * fragments again, one per run of contiguous samples of a track.
 */
public final class KeyframesOnly {

  private KeyframesOnly() {}

  /**
   * @param segment one or more moof+mdat fragments
   * @param videoTrack the id of the track to reduce to its first keyframe
   * @return the reduced fragments; the segment itself when its video has no keyframe
   * @throws IllegalArgumentException if the fragments cannot be read ({@link FragmentReader})
   */
  public static byte[] of(byte[] segment, int videoTrack) {
    Map<Integer, List<FragmentReader.SampleRef>> tracks = new LinkedHashMap<>();
    for (FragmentReader.SampleRef s : FragmentReader.read(segment)) {
      tracks.computeIfAbsent(s.trackId(), id -> new ArrayList<>()).add(s);
    }
    List<FragmentReader.SampleRef> video = tracks.get(videoTrack);
    if (video == null) {
      return segment;
    }
    int first = -1;
    for (int i = 0; i < video.size() && first < 0; i++) {
      if (video.get(i).sync()) {
        first = i;
      }
    }
    if (first < 0) {
      return segment;
    }
    FragmentReader.SampleRef key = video.get(first);
    FragmentReader.SampleRef last = video.getLast();
    long held = last.decodeTime() + last.duration() - key.decodeTime();
    ByteArrayOutputStream out = new ByteArrayOutputStream(segment.length / 4);
    for (Map.Entry<Integer, List<FragmentReader.SampleRef>> t : tracks.entrySet()) {
      if (t.getKey() == videoTrack) {
        Sample picture =
            new Sample(
                bytes(segment, key),
                (int) Math.min(Integer.MAX_VALUE, held),
                key.compositionOffset(),
                true);
        out.writeBytes(
            Fragment.write(
                1, List.of(new TrackRun(videoTrack, key.decodeTime(), List.of(picture)))));
      } else {
        writeAsIs(segment, t.getKey(), t.getValue(), out);
      }
    }
    return out.toByteArray();
  }

  /** A track's samples as they are, one fragment per run of samples that follow each other. */
  private static void writeAsIs(
      byte[] segment,
      int track,
      List<FragmentReader.SampleRef> samples,
      ByteArrayOutputStream out) {
    List<Sample> run = new ArrayList<>();
    long runStart = samples.getFirst().decodeTime();
    long next = runStart;
    for (FragmentReader.SampleRef s : samples) {
      if (s.decodeTime() != next && !run.isEmpty()) {
        out.writeBytes(Fragment.write(1, List.of(new TrackRun(track, runStart, run))));
        run = new ArrayList<>();
      }
      if (run.isEmpty()) {
        runStart = s.decodeTime();
      }
      run.add(new Sample(bytes(segment, s), s.duration(), s.compositionOffset(), s.sync()));
      next = s.decodeTime() + s.duration();
    }
    out.writeBytes(Fragment.write(1, List.of(new TrackRun(track, runStart, run))));
  }

  private static byte[] bytes(byte[] segment, FragmentReader.SampleRef s) {
    return Arrays.copyOfRange(segment, s.dataOffset(), s.dataOffset() + s.size());
  }
}
