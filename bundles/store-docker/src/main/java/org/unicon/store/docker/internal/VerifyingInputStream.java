package org.unicon.store.docker.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.function.LongConsumer;

import org.unicon.hostfs.CrashPoint;
import org.unicon.layers.Digest;

/**
 * Passes a blob through while hashing and counting it, and fails the read that reaches the
 * end (or goes past the descriptor's size) when the bytes do not match the digest or the size.
 * Whoever consumes the blob must read it to the end so that the check runs before the result
 * is committed.
 */
final class VerifyingInputStream extends FilterInputStream {
    private final Digest expected;
    private final long size;
    private final String what;
    private final LongConsumer progress;
    private final MessageDigest md;
    private long count;
    private boolean verified;

    /** @param size the exact size, or -1 when unknown (then only the digest is checked) */
    VerifyingInputStream(InputStream in, Digest expected, long size, String what, LongConsumer progress) {
        super(in);
        this.expected = expected;
        this.size = size;
        this.what = what;
        this.progress = progress;
        this.md = expected.newMessageDigest();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) {
            verify();
            return -1;
        }
        md.update(b, off, n);
        count += n;
        CrashPoint.reached(CrashPoint.MID_PULL, count);
        if (size >= 0 && count > size) {
            throw new BlobVerificationException(what + " is longer than the " + size + " bytes its descriptor says");
        }
        progress.accept(count);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 0))];
        long done = 0;
        while (done < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads whatever is left (the tar reader may stop before a gzip trailer) and verifies. */
    void drainAndVerify() throws IOException {
        byte[] buf = new byte[65536];
        while (read(buf, 0, buf.length) >= 0) {
            // reading is the point: read() verifies at the end
        }
        verify();
    }

    private void verify() throws BlobVerificationException {
        if (verified) {
            return;
        }
        if (size >= 0 && count != size) {
            throw new BlobVerificationException(what + " is truncated: " + count + " of " + size + " bytes arrived");
        }
        Digest actual = Digest.of(expected.algorithm(), md.digest());
        if (!actual.equals(expected)) {
            throw new BlobVerificationException(what + " does not match its digest: the bytes hash to " + actual);
        }
        verified = true;
    }
}
