package io.camflow.testsupport;

/**
 * A throwaway JVM that starts cameras and waits to be killed, for the tests of what happens to the
 * cameras then. {@code camera}: a {@link TestCamera}; {@code replay}: {@link ReplayCameras}. Prints
 * {@code <pid> <port>} of the camera process once it serves.
 */
public final class CameraParent {

  private CameraParent() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("camera")) {
      TestCamera camera = TestCamera.builder().size(160, 90).start();
      System.out.println(camera.process().orElseThrow().pid() + " " + camera.port());
    } else if (args.length == 1 && args[0].equals("replay")) {
      ReplayCameras cameras =
          ReplayCameras.start(new ReplayCameras.Settings(1, 160, 90, 25, 25, 128, 1));
      System.out.println(cameras.pid() + " " + java.net.URI.create(cameras.url(1)).getPort());
    } else {
      System.err.println("usage: CameraParent camera|replay");
      System.exit(2);
    }
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
