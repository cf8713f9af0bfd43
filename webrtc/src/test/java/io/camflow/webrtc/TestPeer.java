package io.camflow.webrtc;

import io.camflow.webrtc.dtls.CertificateFingerprint;
import io.camflow.webrtc.dtls.DtlsIdentity;
import io.camflow.webrtc.dtls.DtlsSrtpClient;
import io.camflow.webrtc.srtp.SrtpKeyMaterial;
import io.camflow.webrtc.srtp.SrtpProfile;
import io.camflow.webrtc.stun.StunAttribute;
import io.camflow.webrtc.stun.StunDecoder;
import io.camflow.webrtc.stun.StunEncoder;
import io.camflow.webrtc.stun.StunIntegrity;
import io.camflow.webrtc.stun.StunMessage;
import io.camflow.webrtc.stun.XorMappedAddress;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * A browser stand-in on a real UDP socket: sends ICE checks as a controlling full agent would, runs
 * a BouncyCastle DTLS client ({@link DtlsSrtpClient}) with use_srtp and its own certificate, and
 * exchanges SRTP. Public for delivery-service's WHEP tests, which get it from this module's
 * test-jar.
 */
public final class TestPeer implements AutoCloseable {

  public static final String UFRAG = "peerUfrag";
  public static final String PWD = "peerPasswordPeerPassword1";
  private static final SecureRandom RANDOM = new SecureRandom();

  final DatagramSocket socket;
  final DtlsIdentity identity = DtlsIdentity.generate("test-peer");
  private final BcTlsCrypto crypto = new BcTlsCrypto(RANDOM);
  private DTLSTransport dtls;

  /**
   * Binding requests from the server (its own checks) that arrived while we waited for something
   * else.
   */
  private final Deque<StunMessage> serverChecks = new ArrayDeque<>();

  public TestPeer(int serverPort) throws IOException {
    this(serverPort, InetAddress.getLoopbackAddress());
  }

  /**
   * A peer on {@code local} (Linux routes all of 127.0.0.0/8 to loopback: 127.0.0.2 is another
   * client address).
   */
  public TestPeer(int serverPort, InetAddress local) throws IOException {
    socket = new DatagramSocket(new InetSocketAddress(local, 0));
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort));
  }

  public CertificateFingerprint fingerprint() {
    return identity.fingerprint();
  }

  /** Room for a burst (a GOP sent at once) while the test is busy elsewhere. */
  public void receiveBufferSize(int bytes) throws IOException {
    socket.setReceiveBufferSize(bytes);
  }

  public InetSocketAddress localAddress() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  /** A Binding request as a controlling agent sends it, keyed with {@code serverPwd}. */
  static byte[] bindingRequest(
      byte[] txid, String serverUfrag, String serverPwd, boolean useCandidate) {
    StunEncoder e =
        new StunEncoder(StunMessage.BINDING_REQUEST, txid)
            .add(StunAttribute.USERNAME, serverUfrag + ":" + UFRAG)
            .add(StunAttribute.PRIORITY, new byte[] {0x6e, 0, 1, (byte) 0xff})
            .add(StunAttribute.ICE_CONTROLLING, new byte[8]);
    if (useCandidate) {
      e.add(StunAttribute.USE_CANDIDATE, new byte[0]);
    }
    return e.addIntegrity(StunIntegrity.shortTermKey(serverPwd)).addFingerprint().toBytes();
  }

  static byte[] txid() {
    byte[] t = new byte[12];
    RANDOM.nextBytes(t);
    return t;
  }

  public void send(byte[] datagram) throws IOException {
    socket.send(new DatagramPacket(datagram, datagram.length));
  }

  /**
   * Sends a check and returns the STUN answer to it, or null if none came within {@code waitMs}.
   */
  public StunMessage check(String serverUfrag, String serverPwd, boolean useCandidate, int waitMs)
      throws Exception {
    byte[] txid = txid();
    send(bindingRequest(txid, serverUfrag, serverPwd, useCandidate));
    long deadline = System.currentTimeMillis() + waitMs;
    while (System.currentTimeMillis() < deadline) {
      byte[] d = receive((int) Math.max(1, deadline - System.currentTimeMillis()));
      if (d != null && DatagramKind.of(d[0]) == DatagramKind.STUN) {
        StunMessage m = StunDecoder.decode(d);
        if (Arrays.equals(m.transactionId(), txid)) {
          return m;
        }
        if (m.type() == StunMessage.BINDING_REQUEST) {
          serverChecks.add(m);
        }
      }
    }
    return null;
  }

  /**
   * The next connectivity check the server sent us, or null after {@code waitMs}; other datagrams
   * are skipped. It must be keyed as RFC 8445 §7.2.2 says: USERNAME {@code <our ufrag>:<server
   * ufrag>}, MESSAGE-INTEGRITY with our ice-pwd, and the server in the controlled role.
   */
  StunMessage serverCheck(String serverUfrag, int waitMs) throws Exception {
    StunMessage m = serverChecks.poll();
    long deadline = System.currentTimeMillis() + waitMs;
    while (m == null && System.currentTimeMillis() < deadline) {
      byte[] d = receive((int) Math.max(1, deadline - System.currentTimeMillis()));
      if (d != null && DatagramKind.of(d[0]) == DatagramKind.STUN) {
        StunMessage got = StunDecoder.decode(d);
        if (got.type() == StunMessage.BINDING_REQUEST) {
          m = got;
        }
      }
    }
    if (m != null) {
      if (!(UFRAG + ":" + serverUfrag)
              .equals(m.attribute(StunAttribute.USERNAME).orElseThrow().text())
          || !StunIntegrity.hasValidIntegrity(m, StunIntegrity.shortTermKey(PWD))
          || !StunIntegrity.hasValidFingerprint(m)
          || !m.has(StunAttribute.ICE_CONTROLLED)
          || !m.has(StunAttribute.PRIORITY)) {
        throw new AssertionError("the server's check is not keyed as RFC 8445 says: " + m);
      }
    }
    return m;
  }

  /**
   * Answers a server's check as a full ICE agent does: success, XOR-MAPPED-ADDRESS, integrity with
   * our ice-pwd.
   */
  void answer(StunMessage serverCheck) throws IOException {
    InetSocketAddress server = (InetSocketAddress) socket.getRemoteSocketAddress();
    send(
        new StunEncoder(StunMessage.BINDING_SUCCESS, serverCheck.transactionId())
            .add(
                StunAttribute.XOR_MAPPED_ADDRESS,
                XorMappedAddress.encode(server, serverCheck.transactionId()))
            .addIntegrity(StunIntegrity.shortTermKey(PWD))
            .addFingerprint()
            .toBytes());
  }

  /**
   * Reads what is waiting until nothing comes for {@code quietMs}: the number of RTP/RTCP datagrams
   * among it (server checks are put aside for {@link #serverCheck}).
   */
  public int drainMedia(int quietMs) throws Exception {
    int media = 0;
    byte[] d;
    while ((d = receive(quietMs)) != null) {
      if (DatagramKind.of(d[0]) == DatagramKind.RTP_OR_RTCP) {
        media++;
      } else if (DatagramKind.of(d[0]) == DatagramKind.STUN) {
        StunMessage m = StunDecoder.decode(d);
        if (m.type() == StunMessage.BINDING_REQUEST) {
          serverChecks.add(m);
        }
      }
    }
    return media;
  }

  /** How many server checks were put aside so far (and not yet taken by {@link #serverCheck}). */
  int serverChecksSeen() {
    return serverChecks.size();
  }

  /** The next datagram, or null after {@code waitMs}. */
  public byte[] receive(int waitMs) throws IOException {
    byte[] buf = new byte[2048];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    socket.setSoTimeout(Math.max(1, waitMs));
    try {
      socket.receive(p);
    } catch (SocketTimeoutException e) {
      return null;
    }
    return Arrays.copyOf(buf, p.getLength());
  }

  /**
   * The DTLS client handshake offering {@code profiles}; the server's certificate must have {@code
   * serverFingerprint}.
   */
  public SrtpKeyMaterial handshake(
      CertificateFingerprint serverFingerprint, SrtpProfile... profiles) throws IOException {
    DtlsSrtpClient client = new DtlsSrtpClient(crypto, identity, serverFingerprint, profiles);
    dtls = new DTLSClientProtocol().connect(client, new DtlsOnly());
    return client.keys();
  }

  /** Sends close_notify. */
  void closeDtls() throws IOException {
    if (dtls != null) {
      dtls.close();
      dtls = null;
    }
  }

  @Override
  public void close() {
    socket.close();
  }

  /** The peer socket seen as DTLS only: STUN and SRTP that arrive meanwhile are skipped. */
  private final class DtlsOnly implements DatagramTransport {
    @Override
    public int getReceiveLimit() {
      return 1500;
    }

    @Override
    public int getSendLimit() {
      return 1200;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
      long deadline = System.currentTimeMillis() + waitMillis;
      while (true) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return -1;
        }
        byte[] d = TestPeer.this.receive((int) left);
        if (d == null) {
          return -1;
        }
        if (DatagramKind.of(d[0]) == DatagramKind.DTLS) {
          int n = Math.min(len, d.length);
          System.arraycopy(d, 0, buf, off, n);
          return n;
        }
      }
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
      socket.send(new DatagramPacket(buf, off, len));
    }

    @Override
    public void close() {}
  }
}
