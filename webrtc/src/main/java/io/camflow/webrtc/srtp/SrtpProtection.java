package io.camflow.webrtc.srtp;

import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * SRTP/SRTCP for one DTLS-SRTP association, on jitsi-srtp: protects what this side sends and
 * unprotects what the peer sends, each with its direction's master key and salt. Crypto contexts
 * are per SSRC (RFC 3711 §3.2.3) and made on first use; the receiving side keeps a context only
 * after a packet authenticated with it, and at most {@link #MAX_REMOTE_SSRCS} of them, so junk with
 * random SSRCs cannot grow the maps. Thread-safe (jitsi-srtp's contexts synchronize per SSRC).
 */
public final class SrtpProtection implements AutoCloseable {

  static final int MAX_REMOTE_SSRCS = 32;
  private static final Logger LOG = new LoggerImpl(SrtpProtection.class.getName());

  private final SrtpProfile profile;
  private final SrtpContextFactory outbound;
  private final SrtpContextFactory inbound;
  private final Map<Integer, SrtpCryptoContext> rtpOut = new ConcurrentHashMap<>();
  private final Map<Integer, SrtcpCryptoContext> rtcpOut = new ConcurrentHashMap<>();
  private final Map<Integer, SrtpCryptoContext> rtpIn = new ConcurrentHashMap<>();
  private final Map<Integer, SrtcpCryptoContext> rtcpIn = new ConcurrentHashMap<>();

  private SrtpProtection(
      SrtpProfile profile, byte[] outKey, byte[] outSalt, byte[] inKey, byte[] inSalt) {
    this(profile, outKey, outSalt, inKey, inSalt, true);
  }

  private SrtpProtection(
      SrtpProfile profile,
      byte[] outKey,
      byte[] outSalt,
      byte[] inKey,
      byte[] inSalt,
      boolean receiveReplayCheck) {
    this.profile = profile;
    this.outbound =
        new SrtpContextFactory(true, outKey, outSalt, profile.policy(), profile.policy(), LOG);
    SrtpPolicy inRtp = profile.policy();
    inRtp.setReceiveReplayEnabled(receiveReplayCheck);
    this.inbound = new SrtpContextFactory(false, inKey, inSalt, inRtp, profile.policy(), LOG);
  }

  /** The DTLS server's side: sends with the server keys, receives with the client keys. */
  public static SrtpProtection forServer(SrtpKeyMaterial keys) {
    return new SrtpProtection(
        keys.profile(), keys.serverKey(), keys.serverSalt(), keys.clientKey(), keys.clientSalt());
  }

  /** The DTLS client's side (a browser; here: tests). */
  public static SrtpProtection forClient(SrtpKeyMaterial keys) {
    return new SrtpProtection(
        keys.profile(), keys.clientKey(), keys.clientSalt(), keys.serverKey(), keys.serverSalt());
  }

  /**
   * The DTLS client's side for a receiver that tells duplicate RTP packets apart itself (the WHEP
   * load client): jitsi-srtp's replay window is 64 packets (Chromium's libsrtp keeps 1024), so a
   * retransmission answering a NACK in a keyframe burst would otherwise be refused as a replay.
   * SRTCP keeps its replay check.
   */
  public static SrtpProtection forClientWithoutRtpReplayCheck(SrtpKeyMaterial keys) {
    return new SrtpProtection(
        keys.profile(),
        keys.clientKey(),
        keys.clientSalt(),
        keys.serverKey(),
        keys.serverSalt(),
        false);
  }

  public SrtpProfile profile() {
    return profile;
  }

  /**
   * RTP → SRTP in place. False when the packet is not RTP enough to protect (shorter than its
   * header).
   */
  public boolean protectRtp(PacketBuffer packet) {
    if (packet.getLength() < 12) {
      return false;
    }
    try {
      SrtpCryptoContext c = rtpOut.computeIfAbsent(ssrc(packet, 8), this::senderContext);
      return c.transformPacket(packet) == SrtpErrorStatus.OK;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** RTCP → SRTCP in place. */
  public boolean protectRtcp(PacketBuffer packet) {
    if (packet.getLength() < 8) {
      return false;
    }
    try {
      SrtcpCryptoContext c = rtcpOut.computeIfAbsent(ssrc(packet, 4), this::senderControlContext);
      return c.transformPacket(packet) == SrtpErrorStatus.OK;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** SRTP → RTP in place; false when it fails authentication, is a replay or is malformed. */
  public boolean unprotectRtp(PacketBuffer packet) {
    if (packet.getLength() < 12 + profile.rtpOverhead()) {
      return false;
    }
    return unprotect(
        rtpIn,
        ssrc(packet, 8),
        this::receiverContext,
        c -> c.reverseTransformPacket(packet, false));
  }

  /** SRTCP → RTCP in place; false when it fails authentication, is a replay or is malformed. */
  public boolean unprotectRtcp(PacketBuffer packet) {
    if (packet.getLength() < 8 + 4 + profile.rtpOverhead()) {
      return false;
    }
    return unprotect(
        rtcpIn,
        ssrc(packet, 4),
        this::receiverControlContext,
        c -> c.reverseTransformPacket(packet));
  }

  /** A jitsi-srtp reverse transform. */
  @FunctionalInterface
  private interface Reverse<C> {
    SrtpErrorStatus apply(C context) throws GeneralSecurityException;
  }

  /**
   * Unprotects with the SSRC's context. A new SSRC's context is kept only once a packet
   * authenticated with it, so forged packets with random SSRCs neither grow the map nor crowd out
   * the peer's real SSRCs.
   */
  private static <C> boolean unprotect(
      Map<Integer, C> contexts, int ssrc, IntFunction<C> make, Reverse<C> reverse) {
    C known = contexts.get(ssrc);
    C context = known != null ? known : make.apply(ssrc);
    boolean ok;
    try {
      ok = reverse.apply(context) == SrtpErrorStatus.OK;
    } catch (GeneralSecurityException | RuntimeException e) {
      ok = false;
    }
    if (ok && known == null && contexts.size() < MAX_REMOTE_SSRCS) {
      contexts.putIfAbsent(ssrc, context);
    }
    return ok;
  }

  @Override
  public void close() {
    outbound.close();
    inbound.close();
    rtpOut.clear();
    rtcpOut.clear();
    rtpIn.clear();
    rtcpIn.clear();
  }

  private SrtpCryptoContext senderContext(int ssrc) {
    try {
      return outbound.deriveContext(ssrc, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES is part of every Java runtime", e);
    }
  }

  private SrtcpCryptoContext senderControlContext(int ssrc) {
    try {
      return outbound.deriveControlContext(ssrc);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES is part of every Java runtime", e);
    }
  }

  private SrtpCryptoContext receiverContext(int ssrc) {
    try {
      return inbound.deriveContext(ssrc, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES is part of every Java runtime", e);
    }
  }

  private SrtcpCryptoContext receiverControlContext(int ssrc) {
    try {
      return inbound.deriveControlContext(ssrc);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES is part of every Java runtime", e);
    }
  }

  private static int ssrc(PacketBuffer p, int at) {
    byte[] b = p.getBuffer();
    int o = p.getOffset() + at;
    return ((b[o] & 0xFF) << 24)
        | ((b[o + 1] & 0xFF) << 16)
        | ((b[o + 2] & 0xFF) << 8)
        | (b[o + 3] & 0xFF);
  }
}
