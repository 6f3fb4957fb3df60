package org.unicon.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.junit.jupiter.api.Test;

class DigestTest {

    private static final String HEX = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void parsesAndNamesValidDigests() {
        Digest d = Digest.parse("sha256:" + HEX);
        assertEquals("sha256", d.algorithm());
        assertEquals(HEX, d.hex());
        assertEquals("sha256:" + HEX, d.toString());
        assertEquals("sha256-" + HEX, d.fileName());
        assertEquals(d, Digest.parseFileName(d.fileName()));
        assertEquals(d, Digest.of("sha256", d.newMessageDigest().digest()));
        assertEquals(d.hashCode(), Digest.parse("sha256:" + HEX).hashCode());
        Digest s512 = Digest.parse("sha512:" + "ab".repeat(64));
        assertEquals("sha512-" + "ab".repeat(64), s512.fileName());
        assertEquals(64, s512.newMessageDigest().getDigestLength());
        assertNotEquals(d, s512);
    }

    @Test
    void refusesAnythingElseNamingIt() throws Exception {
        for (String bad : new String[] {"", "sha256:", "sha256:" + HEX.toUpperCase(), "sha256:" + HEX + "0",
                "sha256:" + HEX.substring(1), "md5:" + HEX, "SHA256:" + HEX, "sha256:../../etc/passwd",
                "sha256:" + HEX.substring(0, 63) + "/", " sha256:" + HEX, "sha256:" + HEX + "\n", "sha512:" + HEX}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Digest.parse(bad), bad);
            assertTrue(e.getMessage().contains("is not a valid digest"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Digest.parse(null));
        assertThrows(IllegalArgumentException.class, () -> Digest.parseFileName("sha256-../x"));
        assertThrows(IllegalArgumentException.class, () -> Digest.of("sha256", new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> Digest.of("md5",
                MessageDigest.getInstance("MD5").digest("x".getBytes(StandardCharsets.UTF_8))));
    }
}
