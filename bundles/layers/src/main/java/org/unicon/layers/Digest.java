package org.unicon.layers;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

import org.unicon.layers.internal.NativeDigest;

/**
 * A validated content digest ({@code sha256:<64 lowercase hex>} or {@code sha512:<128 lowercase hex>}).
 * Validation happens before a digest ever becomes part of a path, so {@link #fileName()} is always
 * a single safe path component. Immutable and thread-safe.
 */
public final class Digest {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SHA512 = Pattern.compile("[0-9a-f]{128}");

    private final String algorithm;
    private final String hex;

    private Digest(String algorithm, String hex) {
        this.algorithm = algorithm;
        this.hex = hex;
    }

    /**
     * Parses {@code sha256:<hex>} or {@code sha512:<hex>} (lowercase hex of the right length).
     *
     * @throws IllegalArgumentException naming the string when it is anything else
     */
    public static Digest parse(String digest) {
        if (digest == null) {
            throw new IllegalArgumentException("digest is missing (expected sha256:<64 lowercase hex digits>)");
        }
        int colon = digest.indexOf(':');
        if (colon > 0) {
            String algorithm = digest.substring(0, colon);
            String hex = digest.substring(colon + 1);
            if (valid(algorithm, hex)) {
                return new Digest(algorithm, hex);
            }
        }
        throw new IllegalArgumentException("'" + printable(digest)
                + "' is not a valid digest (expected sha256:<64 lowercase hex digits> or sha512:<128 lowercase hex digits>)");
    }

    /**
     * The inverse of {@link #fileName()}: parses {@code sha256-<hex>} or {@code sha512-<hex>}.
     *
     * @throws IllegalArgumentException naming the string when it is anything else
     */
    public static Digest parseFileName(String fileName) {
        int dash = fileName == null ? -1 : fileName.indexOf('-');
        if (dash > 0 && valid(fileName.substring(0, dash), fileName.substring(dash + 1))) {
            return new Digest(fileName.substring(0, dash), fileName.substring(dash + 1));
        }
        throw new IllegalArgumentException("'" + printable(fileName) + "' is not a digest file name (expected sha256-<64 lowercase hex digits>)");
    }

    /**
     * The digest of {@code hash} computed with {@code algorithm} ({@code sha256} or {@code sha512},
     * as {@link #algorithm()} names them).
     *
     * @throws IllegalArgumentException for another algorithm or a hash of the wrong length
     */
    public static Digest of(String algorithm, byte[] hash) {
        String hex = HexFormat.of().formatHex(hash);
        if (!valid(algorithm, hex)) {
            throw new IllegalArgumentException("a " + hash.length + "-byte hash is not a valid '" + algorithm
                    + "' digest (supported: sha256, sha512)");
        }
        return new Digest(algorithm, hex);
    }

    private static boolean valid(String algorithm, String hex) {
        switch (algorithm) {
            case "sha256":
                return SHA256.matcher(hex).matches();
            case "sha512":
                return SHA512.matcher(hex).matches();
            default:
                return false;
        }
    }

    private static String printable(String s) {
        if (s == null) {
            return "null";
        }
        String cut = s.length() > 200 ? s.substring(0, 200) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    /** {@code sha256} or {@code sha512}. */
    public String algorithm() {
        return algorithm;
    }

    /** The lowercase hex encoding of the hash. */
    public String hex() {
        return hex;
    }

    /** A path-safe single component: {@code sha256-<hex>}. */
    public String fileName() {
        return algorithm + "-" + hex;
    }

    /** A fresh {@link MessageDigest} for this digest's algorithm (not thread-safe, as usual). */
    public MessageDigest newMessageDigest() {
        return newMessageDigest(algorithm);
    }

    /**
     * A fresh {@link MessageDigest} for {@code sha256} or {@code sha512}: OpenSSL's libcrypto where
     * it can be loaded (fast whatever the JIT compiler; the agent runs with C1 only), else the
     * JDK's. Not thread-safe, as usual.
     *
     * @throws IllegalArgumentException naming any other algorithm
     * @since 1.2
     */
    public static MessageDigest newMessageDigest(String algorithm) {
        return NativeDigest.create(algorithm).orElseGet(() -> {
            try {
                return MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK lacks " + algorithm, e);
            }
        });
    }

    /** {@code sha256:<hex>}, the form used in manifests and configs. */
    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digest && ((Digest) o).algorithm.equals(algorithm) && ((Digest) o).hex.equals(hex);
    }

    @Override
    public int hashCode() {
        return Objects.hash(algorithm, hex);
    }
}
