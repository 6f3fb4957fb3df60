package org.unicon.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.luben.zstd.Zstd;

/**
 * Limits and framing (case 20), the DiffID (22) and hostile names and extensions (23), in moby's
 * harness. Limits are set low so the bombs stay small and fast.
 */
class ExtractorLimitsTest {

    @TempDir
    Path tmp;
    Harness h;

    @BeforeEach
    void setUp() throws Exception {
        h = new Harness(tmp);
    }

    @Test
    void case20_gzipBombStopsAtTheExpandedLimit() throws Exception {
        // ~256 KiB of gzip expanding to 256 MiB of zeros (the ratio of a 1 MB to 1 GB bomb): fails after 8 MiB
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            TarArchiveEntry e = new TarArchiveEntry("zeros");
            e.setSize(1L << 28);
            byte[] header = new byte[512];
            e.writeEntryHeader(header);
            out.write(header);
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 256; i++) {
                out.write(zeros);
            }
        }
        assertTrue(gz.size() < 2 << 20, "the bomb is small: " + gz.size());
        ExtractOptions options = ExtractOptions.defaults()
                .withLimits(Limits.defaults().withMaxExpandedBytes(8 << 20).withMaxFileBytes(4L << 30));
        InvalidLayerException e = h.rejects(gz.toByteArray(), options);
        assertTrue(e.getMessage().contains("larger than the limit of 8388608 bytes"), e.getMessage());
    }

    @Test
    void case20_oversizedFileIsRefusedAtItsHeader() throws Exception {
        byte[] header = new RawTar().entry("huge".getBytes(), '0', 4L << 30, new byte[0]).tar();
        InvalidLayerException ex = h.rejects(header, ExtractOptions.defaults()
                .withLimits(Limits.defaults().withMaxFileBytes(1 << 20)));
        assertTrue(ex.getMessage().contains("entry 'huge'"), ex.getMessage());
    }

    @Test
    void case20_declaredSizeBeyondTheDataIsATruncatedLayer() throws Exception {
        byte[] tar = new RawTar().entry("short".getBytes(), '0', 1 << 20, "only this".getBytes()).tar();
        InvalidLayerException e = h.rejects(tar);
        assertTrue(e.getMessage().toLowerCase().contains("truncated"), e.getMessage());
    }

    @Test
    void case20_hugePaxHeaderAndLongNameAreRefusedBeforeBeingRead() throws Exception {
        ExtractOptions options = ExtractOptions.defaults().withLimits(Limits.defaults().withMaxHeaderBytes(64 * 1024));
        byte[] bigValue = new byte[200 * 1024];
        java.util.Arrays.fill(bigValue, (byte) 'a');
        InvalidLayerException e = h.rejects(new RawTar().pax(RawTar.record("comment", bigValue))
                .entry("f", '0', "x".getBytes()).tar(), options);
        assertTrue(e.getMessage().contains("extended headers of"), e.getMessage());
        h.rejects(new RawTar().entry("././@LongLink", 'L', bigValue).entry("f", '0', "x".getBytes()).tar(), options);
    }

    @Test
    void case20_millionEntryLayerStopsAtTheEntryLimit() throws Exception {
        // a generated stream of 10^6 empty files; only what is read before the limit is produced
        final int total = 1_000_000;
        InputStream million = new InputStream() {
            private int produced;
            private byte[] block = new byte[0];
            private int pos;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos == block.length) {
                    if (produced > total) {
                        return -1;
                    }
                    block = new byte[produced == total ? 1024 : 512];
                    if (produced < total) {
                        new TarArchiveEntry("f" + produced).writeEntryHeader(block);
                    }
                    produced++;
                    pos = 0;
                }
                int n = Math.min(len, block.length - pos);
                System.arraycopy(block, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        ExtractOptions options = ExtractOptions.defaults().withLimits(Limits.defaults().withMaxEntries(1000));
        InvalidLayerException e = assertThrows(InvalidLayerException.class,
                () -> LayerExtractor.extract(million, h.root, options));
        assertTrue(e.getMessage().contains("more than the limit of 1000 entries"), e.getMessage());
        try (var s = Files.list(h.root)) {
            assertEquals(0, s.count(), "partial output removed");
        }
        h.assertOutsideUntouched();
    }

    @Test
    void case20_nestedGzipIsNotDecompressedTwice() throws Exception {
        byte[] tar = new TarBuilder().file("a", "x").tar();
        InvalidLayerException e = h.rejects(TarBuilder.gzip(TarBuilder.gzip(tar)));
        assertTrue(e.getMessage().contains("not a tar archive"), e.getMessage());
    }

    @Test
    void case20_unsupportedCompressionIsNamed() throws Exception {
        byte[] xz = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 0, 0};
        assertTrue(h.rejects(xz).getMessage().contains("xz-compressed layers are not supported"));
    }

    @Test
    void case22_diffIdIsTheSha256OfTheUncompressedTar() throws Exception {
        byte[] tar = new TarBuilder().dir("etc").file("etc/hostname", "unicon\n").symlink("l", "etc").tar();
        Path tarFile = Files.write(h.root.resolve("layer.tar"), tar);
        String expected = sha256sum(tarFile);
        for (byte[] layer : new byte[][] {tar, TarBuilder.gzip(tar), Zstd.compress(tar)}) {
            Path target = h.root.resolve("t" + System.nanoTime());
            Extracted x = LayerExtractor.extract(new ByteArrayInputStream(layer), target, ExtractOptions.defaults());
            assertEquals("sha256:" + expected, x.diffId().toString());
            assertEquals(tar.length, x.bytes());
            assertEquals(3, x.entries());
            assertEquals("unicon\n", Files.readString(target.resolve("etc/hostname")));
            org.unicon.layers.internal.FileTree.delete(target);
        }
        Files.delete(tarFile);
        h.assertOutsideUntouched();
    }

    @Test
    void case22_diffIdCoversBytesAfterTheEndOfArchiveMarker() throws Exception {
        byte[] tar = new TarBuilder().file("a", "x").tar();
        byte[] padded = java.util.Arrays.copyOf(tar, tar.length + 4096);
        Extracted x = h.extract(padded);
        assertEquals(padded.length, x.bytes());
        assertEquals(Digest.of("sha256", java.security.MessageDigest.getInstance("SHA-256").digest(padded)), x.diffId());
    }

    @Test
    void case22_aWrongDiffIdNeverBecomesVisible() throws Exception {
        byte[] tar = new TarBuilder().file("a", "x").tar();
        Digest expected = Digest.parse("sha256:" + "0".repeat(64));
        StagingArea staging = new StagingArea(tmp.resolve("root/staging"));
        Path staged = staging.create(expected.fileName());
        Extracted x = LayerExtractor.extract(new ByteArrayInputStream(tar), staged, ExtractOptions.defaults());
        if (!x.diffId().equals(expected)) {
            staging.clear();
        } else {
            staging.commit(staged, tmp.resolve("root/layers").resolve(expected.fileName()));
        }
        assertTrue(Files.notExists(tmp.resolve("root/layers")));
        try (var s = Files.list(staging.root())) {
            assertEquals(0, s.count());
        }
        h.assertOutsideUntouched();
    }

    @Test
    void case23_hostileNamesAreCleanErrors() throws Exception {
        h.rejects(new RawTar().pax(RawTar.record("path", "a\0b".getBytes())).entry("x", '0', "x".getBytes()).tar());
        h.rejects(new RawTar().entry(new byte[] {'b', 'a', 'd', (byte) 0xff, (byte) 0xfe}, '0', 1, "x".getBytes()).tar());
        h.rejects(new TarBuilder().file("n".repeat(256), "x").tar());
        h.rejects(new TarBuilder().file(("d".repeat(200) + "/").repeat(21) + "f", "x").tar());
        h.rejects(new TarBuilder().symlink("l", "t".repeat(5000)).tar());
        h.rejects(new RawTar().pax(RawTar.record("linkpath", "a\0b".getBytes())).entry("l", '2', new byte[0]).tar());
    }

    @Test
    void case23_sparseAndUnknownEntryTypesAreRefused() throws Exception {
        InvalidLayerException e = h.rejects(new RawTar().entry("s", 'S', "x".getBytes()).tar());
        assertTrue(e.getMessage().contains("sparse"), e.getMessage());
        h.rejects(new RawTar().pax(RawTar.record("GNU.sparse.major", "1".getBytes()),
                RawTar.record("GNU.sparse.minor", "0".getBytes())).entry("s", '0', "x".getBytes()).tar());
        assertTrue(h.rejects(new RawTar().entry("v", 'V', new byte[0]).tar()).getMessage().contains("unsupported"));
        assertTrue(h.rejects(new RawTar().entry("d/", '5', "data".getBytes()).tar()).getMessage().contains("must be 0"));
        h.rejects(new RawTar().entry("l", '2', "data".getBytes()).tar());
        h.rejects(new RawTar().pax(RawTar.record("size", "-5".getBytes())).entry("f", '0', new byte[0]).tar());
    }

    @Test
    void case23_garbageIsAMalformedLayer() throws Exception {
        h.rejects("this is not a tar archive, not even close; ".repeat(40).getBytes(StandardCharsets.US_ASCII));
        h.rejects(java.util.Arrays.copyOf(TarBuilder.gzip(new TarBuilder().file("a", "x".repeat(5000)).tar()), 100));
    }

    @Test
    void sourceFailuresStayPlainIOExceptions() throws Exception {
        byte[] tar = new TarBuilder().file("a", "x".repeat(100_000)).tar();
        InputStream failing = new java.io.FilterInputStream(new ByteArrayInputStream(tar)) {
            private int read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read > 20_000) {
                    throw new IOException("connection reset");
                }
                int n = super.read(b, off, Math.min(len, 4096));
                read += Math.max(n, 0);
                return n;
            }
        };
        IOException e = assertThrows(IOException.class, () -> LayerExtractor.extract(failing, h.root, ExtractOptions.defaults()));
        assertEquals("connection reset", e.getMessage(), "a retryable source error is not an invalid layer");
        try (var s = Files.list(h.root)) {
            assertEquals(0, s.count());
        }
    }

    private static String sha256sum(Path file) throws Exception {
        Process p = new ProcessBuilder("sha256sum", file.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertEquals(0, p.waitFor());
        return out.substring(0, 64);
    }

}
