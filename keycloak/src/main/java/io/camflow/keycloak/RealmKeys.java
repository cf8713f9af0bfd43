package io.camflow.keycloak;

import jakarta.ws.rs.core.Response;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.KeysMetadataRepresentation.KeyMetadataRepresentation;

/**
 * The token signing keys of a running {@link LocalKeycloak}'s realm, for tests of token validation:
 * import a key pair the test holds (so it can forge tokens Keycloak's JWKS vouches for), rotate to
 * a new key, ask which key signs. Works as the {@code master} realm's bootstrap admin, through
 * keycloak-admin-client.
 *
 * <p>Keycloak signs RS256 tokens with the active RS256 key of the highest priority and publishes
 * every enabled key in the JWKS. Key ids ({@code kid}) are Keycloak's: always read back, never
 * computed.
 */
public final class RealmKeys implements AutoCloseable {

  private static final String KEY_PROVIDER_TYPE = "org.keycloak.keys.KeyProvider";

  /**
   * Imported RSA signing key; without a certificate Keycloak generates a self-signed one
   * (CN=realm).
   */
  private static final String IMPORTED_RSA = "rsa";

  private static final String GENERATED_RSA = "rsa-generated";
  private static final String RS256 = "RS256";

  private final Keycloak admin;
  private final RealmResource realm;

  public RealmKeys(LocalKeycloak kc) {
    // the bootstrap admin's password is its user name (LocalKeycloak sets KC_BOOTSTRAP_ADMIN_* so)
    this.admin =
        Keycloak.getInstance(
            kc.baseUrl().toString(),
            "master",
            LocalKeycloak.BOOTSTRAP_ADMIN,
            LocalKeycloak.BOOTSTRAP_ADMIN,
            "admin-cli");
    this.realm = admin.realm(LocalKeycloak.REALM);
  }

  /**
   * Adds the pair's private key as an RS256 signing key of the realm.
   *
   * @param priority below the realm's active key's (generated keys have 100) to keep Keycloak
   *     signing with its own key while the JWKS lists this one as well
   * @return the {@code kid} Keycloak publishes for it
   */
  public String importRsaKey(KeyPair pair, long priority) {
    if (!(pair.getPrivate() instanceof RSAPrivateCrtKey key) || !"PKCS#8".equals(key.getFormat())) {
      throw new IllegalArgumentException(
          "needs an RSA key pair with a PKCS#8 private key (KeyPairGenerator RSA)");
    }
    MultivaluedHashMap<String, String> config = signingConfig(priority);
    config.putSingle("privateKey", pem(key.getEncoded()));
    return kidOf(addProvider("camflow-imported-rsa", IMPORTED_RSA, config));
  }

  /**
   * Adds a generated RS256 key (2048 bits) with a priority above every key of the realm, so
   * Keycloak signs new tokens with it from now on; the old keys stay in the JWKS.
   *
   * @return its {@code kid}
   */
  public String rotate() {
    long top =
        keys().stream().mapToLong(KeyMetadataRepresentation::getProviderPriority).max().orElse(0);
    MultivaluedHashMap<String, String> config = signingConfig(top + 1);
    config.putSingle("keySize", "2048");
    return kidOf(addProvider("camflow-rotated-rsa", GENERATED_RSA, config));
  }

  /** The {@code kid} Keycloak signs RS256 access tokens with now. */
  public String activeSigningKid() {
    String kid = realm.keys().getKeyMetadata().getActive().get(RS256);
    if (kid == null) {
      throw new IllegalStateException("realm " + LocalKeycloak.REALM + " has no active RS256 key");
    }
    return kid;
  }

  /**
   * Deletes the key provider that holds this key (its key leaves the JWKS). Nothing happens for an
   * unknown kid.
   */
  public void removeProvider(String kid) {
    keys().stream()
        .filter(k -> kid.equals(k.getKid()))
        .map(KeyMetadataRepresentation::getProviderId)
        .findFirst()
        .ifPresent(id -> realm.components().component(id).remove());
  }

  @Override
  public void close() {
    admin.close();
  }

  private static MultivaluedHashMap<String, String> signingConfig(long priority) {
    MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
    config.putSingle("priority", Long.toString(priority));
    config.putSingle("enabled", "true");
    config.putSingle("active", "true");
    config.putSingle("algorithm", RS256);
    return config;
  }

  /**
   * @return the new component's id
   */
  private String addProvider(
      String name, String providerId, MultivaluedHashMap<String, String> config) {
    ComponentRepresentation component = new ComponentRepresentation();
    component.setName(name);
    component.setProviderId(providerId);
    component.setProviderType(KEY_PROVIDER_TYPE);
    component.setParentId(realm.toRepresentation().getId());
    component.setConfig(config);
    try (Response created = realm.components().add(component)) {
      if (created.getStatus() != 201 || created.getLocation() == null) {
        // Keycloak's validation message ("Failed to decode private key"), no key material
        throw new IllegalStateException(
            "Keycloak refused the "
                + providerId
                + " key provider: HTTP "
                + created.getStatus()
                + " "
                + abbreviate(created.readEntity(String.class)));
      }
      String path = created.getLocation().getPath();
      return path.substring(path.lastIndexOf('/') + 1);
    }
  }

  private String kidOf(String providerId) {
    Optional<String> kid =
        keys().stream()
            .filter(k -> providerId.equals(k.getProviderId()))
            .map(KeyMetadataRepresentation::getKid)
            .findFirst();
    return kid.orElseThrow(
        () ->
            new IllegalStateException(
                "key provider " + providerId + " was created but the realm lists no key of it"));
  }

  private List<KeyMetadataRepresentation> keys() {
    return realm.keys().getKeyMetadata().getKeys();
  }

  private static String pem(byte[] pkcs8) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8)
        + "\n-----END PRIVATE KEY-----\n";
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }
}
