package org.unicon.layers.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.ref.Cleaner;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Optional;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * SHA-256 and SHA-512 computed by OpenSSL's libcrypto (EVP API, 1.1 or 3), as a
 * {@link MessageDigest}. The agent runs with C1 only ({@code -XX:TieredStopAtLevel=1}, which
 * keeps its memory and start-up low); the JDK's SHA code is only fast once C2 has compiled it
 * into its intrinsic, and C1 hashes about ten times slower. libcrypto is as fast as that intrinsic
 * whatever the JIT does. Where libcrypto cannot be loaded, {@link #create} says so and callers
 * use the JDK's digest.
 *
 * <p>Updates are gathered in a 64 KiB native buffer and handed to libcrypto a full buffer at a
 * time, so a caller that feeds 512-byte tar records pays one libcrypto call per 64 KiB. Like
 * every {@link MessageDigest}, an instance is not thread-safe. The native context is freed when
 * the instance becomes unreachable.
 */
public final class NativeDigest extends MessageDigest {

    private static final Logger LOG = System.getLogger(NativeDigest.class.getName());
    private static final int CHUNK = 64 * 1024;
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "unicon-digest-cleaner");
        t.setDaemon(true);
        return t;
    });
    /** Why libcrypto is not used, or null when it is. */
    private static final String UNAVAILABLE = Crypto.load("libcrypto.so.3", "libcrypto.so.1.1", "crypto");

    private final Pointer md;
    private final Pointer ctx;
    private final int length;
    private final Memory buffer = new Memory(CHUNK);
    private int filled;

    /** The libcrypto functions used here (direct mapping: one JNI call each, no proxy). */
    static final class Crypto {
        static native Pointer EVP_sha256();

        static native Pointer EVP_sha512();

        static native Pointer EVP_MD_CTX_new();

        static native void EVP_MD_CTX_free(Pointer ctx);

        static native int EVP_DigestInit_ex(Pointer ctx, Pointer type, Pointer engine);

        static native int EVP_DigestUpdate(Pointer ctx, Pointer data, long count);

        static native int EVP_DigestFinal_ex(Pointer ctx, byte[] out, Pointer length);

        /** Binds the methods above to the first of {@code names} that loads; returns why none did, or null. */
        static String load(String... names) {
            Throwable last = null;
            for (String name : names) {
                try {
                    Native.register(Crypto.class, NativeLibrary.getInstance(name));
                    return null;
                } catch (UnsatisfiedLinkError | IllegalArgumentException e) {
                    last = e;
                }
            }
            String why = "libcrypto (OpenSSL 1.1 or 3) cannot be loaded as any of " + String.join(", ", names)
                    + (last == null ? "" : ": " + last.getMessage());
            LOG.log(Level.WARNING, why + "; image layers are hashed by the JDK, which is slower without C2");
            return why;
        }
    }

    private NativeDigest(String algorithm, Pointer md, int length) throws DigestException {
        super(algorithm);
        this.md = md;
        this.length = length;
        Pointer c = Crypto.EVP_MD_CTX_new();
        if (c == null) {
            throw new DigestException("libcrypto could not allocate a digest context");
        }
        this.ctx = c;
        CLEANER.register(this, () -> Crypto.EVP_MD_CTX_free(c));
        init();
    }

    /**
     * A libcrypto digest for {@code sha256} or {@code sha512}; empty (with the reason logged once
     * at start) when libcrypto is not available.
     *
     * @throws IllegalArgumentException for another algorithm
     */
    public static Optional<MessageDigest> create(String algorithm) {
        if (!algorithm.equals("sha256") && !algorithm.equals("sha512")) {
            throw new IllegalArgumentException("'" + algorithm + "' is not a digest algorithm (sha256 or sha512)");
        }
        if (UNAVAILABLE != null) {
            return Optional.empty();
        }
        try {
            return Optional.of(algorithm.equals("sha256") ? new NativeDigest("SHA-256", Crypto.EVP_sha256(), 32)
                    : new NativeDigest("SHA-512", Crypto.EVP_sha512(), 64));
        } catch (DigestException e) {
            LOG.log(Level.WARNING, e.getMessage() + "; using the JDK's digest");
            return Optional.empty();
        }
    }

    /** Why libcrypto is not used, empty when it is. */
    public static Optional<String> unavailable() {
        return Optional.ofNullable(UNAVAILABLE);
    }

    @Override
    protected int engineGetDigestLength() {
        return length;
    }

    @Override
    protected void engineUpdate(byte input) {
        buffer.setByte(filled++, input);
        if (filled == CHUNK) {
            flush();
        }
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
        while (len > 0) {
            int n = Math.min(len, CHUNK - filled);
            buffer.write(filled, input, offset, n);
            filled += n;
            offset += n;
            len -= n;
            if (filled == CHUNK) {
                flush();
            }
        }
    }

    @Override
    protected byte[] engineDigest() {
        flush();
        byte[] out = new byte[length];
        if (Crypto.EVP_DigestFinal_ex(ctx, out, null) != 1) {
            throw new IllegalStateException("libcrypto failed to finish a " + getAlgorithm() + " digest");
        }
        init();
        return out;
    }

    @Override
    protected void engineReset() {
        filled = 0;
        init();
    }

    /** Hands what the buffer gathered to libcrypto. */
    private void flush() {
        if (filled > 0) {
            if (Crypto.EVP_DigestUpdate(ctx, buffer, filled) != 1) {
                throw new IllegalStateException("libcrypto failed to update a " + getAlgorithm() + " digest");
            }
            filled = 0;
        }
    }

    private void init() {
        if (Crypto.EVP_DigestInit_ex(ctx, md, null) != 1) {
            throw new IllegalStateException("libcrypto failed to start a " + getAlgorithm() + " digest");
        }
    }
}
