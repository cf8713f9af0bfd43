package io.camflow.webrtc.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.SrtpCipherCtr;
import org.junit.jupiter.api.Test;

/**
 * RFC 3711 Appendix B through jitsi-srtp as camflow sets it up ({@link SrtpProfile#policy()},
 * {@link SrtpProtection}, {@link PacketBuffer}), plus round trips of both profiles.
 */
class SrtpVectorsTest {

  // B.2: AES-CM keystream for session key and salt, SSRC 0, index 0
  private static final byte[] B2_KEY = hex("2B7E151628AED2A6ABF7158809CF4F3C");
  private static final byte[] B2_SALT = hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD");
  private static final String[][] B2_BLOCKS = {
    {"0000", "E03EAD0935C95E80E166B16DD92B4EB4"},
    {"0001", "D23513162B02D0F72A43A2FE4A5F97AB"},
    {"0002", "41E95B3BB0A2E8DD477901E4FCA894C0"},
    {"FEFF", "EC8CDF7398607CB0F2D21675EA9EA1E4"},
    {"FF00", "362B7C3C6773516318A077D7FC5073AE"},
    {"FF01", "6A2CC3787889374FBEB4C81B17BA6C44"},
  };

  // B.3: key derivation
  private static final byte[] B3_MASTER_KEY = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
  private static final byte[] B3_MASTER_SALT = hex("0EC675AD498AFEEBB6960B3AABE6");
  private static final byte[] B3_CIPHER_KEY = hex("C61E7A93744F39EE10734AFE3FF7A087");
  private static final byte[] B3_CIPHER_SALT = hex("30CBBC08863D8C85D49DB34A9AE1");
  private static final byte[] B3_AUTH_KEY = hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4");

  /** B.2 through jitsi-srtp's AES-CM cipher, the one its SRTP contexts use for AES128_CM. */
  @Test
  void aesCmKeystreamMatchesB2() throws Exception {
    SrtpCipherCtr cipher = new SrtpCipherCtr(Aes.createCipher("AES/CTR/NoPadding"));
    cipher.init(B2_KEY, null);
    cipher.setIV(
        Arrays.copyOf(B2_SALT, 16), Cipher.ENCRYPT_MODE); // IV = salt·2^16 for SSRC 0, index 0
    byte[] keystream = new byte[0xFF02 * 16];
    cipher.process(keystream, 0, keystream.length); // encrypting zeros yields the keystream
    for (String[] block : B2_BLOCKS) {
      int i = Integer.parseInt(block[0], 16);
      assertArrayEquals(
          hex(block[1]), Arrays.copyOfRange(keystream, i * 16, i * 16 + 16), "block " + block[0]);
    }
    // the reference keystream of this test agrees with B.2 too
    assertArrayEquals(Arrays.copyOf(keystream, 48), referenceKeystream(B2_KEY, B2_SALT, 0, 0, 48));
  }

  /**
   * B.3 through the whole send path: protecting a packet with the B.3 master key and salt must
   * encrypt with B.3's session key and salt and tag with B.3's auth key.
   */
  @Test
  void protectedPacketUsesB3SessionKeys() throws Exception {
    SrtpKeyMaterial keys =
        new SrtpKeyMaterial(
            SrtpProfile.AES128_CM_HMAC_SHA1_80,
            new byte[16],
            new byte[14],
            B3_MASTER_KEY,
            B3_MASTER_SALT);
    SrtpProtection server = SrtpProtection.forServer(keys); // sends with the server key
    int ssrc = 0x11223344;
    int seq = 0x1234;
    byte[] plain = rtp(seq, ssrc, new byte[64]);
    PacketBuffer packet = PacketBuffer.copyOf(plain, 0, plain.length);
    assertTrue(server.protectRtp(packet));
    byte[] srtp = packet.toArray();
    assertEquals(plain.length + 10, srtp.length);
    assertArrayEquals(Arrays.copyOf(plain, 12), Arrays.copyOf(srtp, 12), "the header stays clear");
    byte[] payload = Arrays.copyOfRange(srtp, 12, plain.length);
    assertArrayEquals(
        referenceKeystream(B3_CIPHER_KEY, B3_CIPHER_SALT, ssrc, seq, 64),
        payload,
        "payload encrypted with B.3's session key and salt");
    Mac hmac = Mac.getInstance("HmacSHA1");
    hmac.init(new SecretKeySpec(B3_AUTH_KEY, "HmacSHA1"));
    hmac.update(srtp, 0, plain.length);
    hmac.update(new byte[4]); // ROC 0
    assertArrayEquals(
        Arrays.copyOf(hmac.doFinal(), 10),
        Arrays.copyOfRange(srtp, plain.length, srtp.length),
        "tag made with B.3's auth key");
  }

  @Test
  void aesCmRoundTripBothDirections() {
    roundTrip(SrtpProfile.AES128_CM_HMAC_SHA1_80);
  }

  @Test
  void aesGcmRoundTripBothDirections() {
    roundTrip(SrtpProfile.AEAD_AES_128_GCM);
  }

  private static void roundTrip(SrtpProfile profile) {
    byte[] material = new byte[profile.exporterLength()];
    new java.util.Random(profile.ordinal()).nextBytes(material);
    SrtpKeyMaterial keys = SrtpKeyMaterial.fromExporter(profile, material);
    SrtpProtection server = SrtpProtection.forServer(keys);
    SrtpProtection client = SrtpProtection.forClient(keys);
    for (int seq = 65530; seq < 65540; seq++) { // across a rollover
      byte[] payload = ("frame " + seq).getBytes();
      byte[] plain = rtp(seq & 0xFFFF, 0xCAFEBABE, payload);
      PacketBuffer p = PacketBuffer.copyOf(plain, 0, plain.length);
      assertTrue(server.protectRtp(p));
      assertEquals(plain.length + profile.rtpOverhead(), p.getLength());
      assertNotEquals(
          HexFormat.of().formatHex(plain),
          HexFormat.of().formatHex(Arrays.copyOf(p.toArray(), plain.length)));
      byte[] wire = p.toArray();
      assertTrue(client.unprotectRtp(p));
      assertArrayEquals(plain, p.toArray());
      PacketBuffer replay = PacketBuffer.copyOf(wire, 0, wire.length);
      assertFalse(client.unprotectRtp(replay), "a replayed packet is refused");
    }
    byte[] rr =
        hex(
            "81C90007DEADBEEF"
                + "CAFEBABE"
                + "00000000"
                + "00000000"
                + "00000000"
                + "00000000"
                + "00000000");
    PacketBuffer r = PacketBuffer.copyOf(rr, 0, rr.length);
    assertTrue(client.protectRtcp(r));
    byte[] wire = r.toArray();
    wire[wire.length - 1] ^= 1;
    assertFalse(
        server.unprotectRtcp(PacketBuffer.copyOf(wire, 0, wire.length)), "a forged tag is refused");
    wire[wire.length - 1] ^= 1;
    PacketBuffer ok = PacketBuffer.copyOf(wire, 0, wire.length);
    assertTrue(server.unprotectRtcp(ok));
    assertArrayEquals(rr, ok.toArray());
  }

  static byte[] rtp(int seq, int ssrc, byte[] payload) {
    byte[] p = new byte[12 + payload.length];
    p[0] = (byte) 0x80;
    p[1] = 96;
    p[2] = (byte) (seq >> 8);
    p[3] = (byte) seq;
    p[4] = 0x01; // timestamp
    p[8] = (byte) (ssrc >> 24);
    p[9] = (byte) (ssrc >> 16);
    p[10] = (byte) (ssrc >> 8);
    p[11] = (byte) ssrc;
    System.arraycopy(payload, 0, p, 12, payload.length);
    return p;
  }

  /**
   * RFC 3711 §4.1.1 written out with plain AES-ECB: IV = (salt·2^16) XOR (SSRC·2^64) XOR
   * (index·2^16).
   */
  static byte[] referenceKeystream(byte[] key, byte[] salt14, int ssrc, long index, int length)
      throws Exception {
    byte[] iv = Arrays.copyOf(salt14, 16);
    for (int i = 0; i < 4; i++) {
      iv[4 + i] ^= (byte) (ssrc >> (24 - 8 * i));
    }
    for (int i = 0; i < 6; i++) {
      iv[8 + i] ^= (byte) (index >> (40 - 8 * i));
    }
    Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
    aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    byte[] out = new byte[length];
    for (int block = 0; block * 16 < length; block++) {
      byte[] counter = iv.clone();
      int c = ((counter[14] & 0xFF) << 8 | (counter[15] & 0xFF)) + block;
      counter[14] = (byte) (c >> 8);
      counter[15] = (byte) c;
      byte[] ks = aes.doFinal(counter);
      System.arraycopy(ks, 0, out, block * 16, Math.min(16, length - block * 16));
    }
    return out;
  }

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
  }
}
