package org.unicon.layers.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.unicon.layers.Digest;

/** libcrypto's digests against the JDK's, on this machine's real libcrypto (libssl3). */
class NativeDigestTest {

    private static final int CHUNK = 64 * 1024;

    @Test
    void libcryptoIsUsedHere() {
        assertTrue(NativeDigest.unavailable().isEmpty(), () -> NativeDigest.unavailable().get());
        assertInstanceOf(NativeDigest.class, Digest.newMessageDigest("sha256"));
        assertInstanceOf(NativeDigest.class, Digest.newMessageDigest("sha512"));
        assertEquals("SHA-256", Digest.newMessageDigest("sha256").getAlgorithm());
        assertEquals(32, Digest.newMessageDigest("sha256").getDigestLength());
        assertEquals(64, Digest.newMessageDigest("sha512").getDigestLength());
    }

    @Test
    void knownAnswers() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                HexFormat.of().formatHex(Digest.newMessageDigest("sha256").digest()));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                HexFormat.of().formatHex(Digest.newMessageDigest("sha256").digest("abc".getBytes())));
        assertEquals("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
                HexFormat.of().formatHex(Digest.newMessageDigest("sha512").digest("abc".getBytes())));
    }

    /** Every way of feeding bytes (single bytes, small records, exactly a chunk, more) hashes alike. */
    @Test
    void agreesWithTheJdkHoweverTheBytesArrive() throws Exception {
        Random random = new Random(42);
        for (String algorithm : new String[] {"sha256", "sha512"}) {
            for (int size : new int[] {0, 1, 511, 512, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17, 1 << 20}) {
                byte[] data = new byte[size];
                random.nextBytes(data);
                byte[] expected = MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512")
                        .digest(data);
                for (int piece : new int[] {1, 512, 4096, CHUNK - 3, CHUNK, 2 * CHUNK + 5}) {
                    MessageDigest md = Digest.newMessageDigest(algorithm);
                    for (int at = 0; at < size; at += piece) {
                        int n = Math.min(piece, size - at);
                        if (n == 1) {
                            md.update(data[at]);
                        } else {
                            md.update(data, at, n);
                        }
                    }
                    assertArrayEquals(expected, md.digest(), algorithm + ", " + size + " bytes in pieces of " + piece);
                }
            }
        }
    }

    @Test
    void digestAndResetStartAfresh() {
        MessageDigest md = Digest.newMessageDigest("sha256");
        byte[] first = md.digest("abc".getBytes());
        assertArrayEquals(first, md.digest("abc".getBytes()), "digest() leaves the digest ready for the next one");
        md.update(new byte[CHUNK + 100]);
        md.reset();
        assertArrayEquals(first, md.digest("abc".getBytes()), "reset() drops what was gathered and hashed");
    }

    /**
     * A host without libcrypto cannot be made inside this JVM (it is loaded once): asking for
     * libraries that do not exist stands in for it and must name them, so the warning tells an
     * operator what is missing.
     */
    @Test
    void aMissingLibcryptoIsNamed() {
        String why = NativeDigest.Crypto.load("libunicon-no-such-crypto.so.9");
        assertTrue(why != null && why.contains("libunicon-no-such-crypto.so.9"), why);
        assertInstanceOf(NativeDigest.class, Digest.newMessageDigest("sha256"), "the loaded libcrypto stays in use");
    }

    @Test
    void anotherAlgorithmIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NativeDigest.create("md5"));
        assertTrue(e.getMessage().contains("'md5'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Digest.newMessageDigest("sha1"));
    }
}
