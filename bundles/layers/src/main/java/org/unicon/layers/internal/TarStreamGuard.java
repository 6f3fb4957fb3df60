package org.unicon.layers.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarUtils;
import org.unicon.layers.InvalidLayerException;
import org.unicon.layers.Limits;

/**
 * Sits between the decompressor and the tar parser and reads the tar framing itself, so limits
 * hold before the parser buffers anything: extended headers (PAX, GNU long names) are capped
 * before they are read, entry counts and file sizes are checked at the header, and total bytes are
 * counted as they arrive. It also hashes every byte (the DiffID) and keeps the raw bytes of PAX
 * xattr records, which Commons Compress would decode as UTF-8 and so corrupt (file capabilities
 * are binary).
 *
 * <p>To leave no room for two parsers disagreeing on where an entry ends, it refuses what it
 * cannot frame exactly: sparse entries, unknown entry types, a global PAX {@code size}, and
 * header-only entries (links, directories, devices) that declare data.
 */
public final class TarStreamGuard extends InputStream {

    private static final int BLOCK = 512;

    private final InputStream in;
    private final Limits limits;
    private final MessageDigest sha256;
    private long total;

    private final byte[] header = new byte[BLOCK];
    private int headerFill;
    private long dataRemaining;
    private long padRemaining;
    private ByteArrayOutputStream meta;
    private byte metaType;
    private long metaBytes;
    private boolean trailer;

    private long entries;
    private Long paxSize;
    private String pendingName;
    private Map<String, byte[]> pendingXattrs = new LinkedHashMap<>();
    private Map<String, byte[]> currentXattrs = Map.of();
    private boolean nameFromExtension;
    private boolean linkFromExtension;

    public TarStreamGuard(InputStream in, Limits limits, MessageDigest sha256) {
        this.in = in;
        this.limits = limits;
        this.sha256 = sha256;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            total += n;
            if (total > limits.maxExpandedBytes()) {
                throw new InvalidLayerException("the uncompressed layer is larger than the limit of "
                        + limits.maxExpandedBytes() + " bytes");
            }
            sha256.update(b, off, n);
            inspect(b, off, n);
        }
        return n;
    }

    /** Skipping reads, so that every byte is counted, hashed and framed. */
    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(65536, Math.max(n, 1))];
        long done = 0;
        while (done < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /**
     * Reads what follows the end-of-archive marker, so the DiffID covers the whole stream, and
     * refuses a stream that is empty or ends inside a header or an entry's data (a truncated
     * layer, or something that is not a tar at all, such as a second gzip layer).
     */
    public void drain() throws IOException {
        while (skip(Long.MAX_VALUE) > 0) {
            // keep going until EOF
        }
        if (total == 0) {
            throw new InvalidLayerException("the layer is empty (not even a tar end-of-archive marker)");
        }
        if (!trailer && (headerFill != 0 || dataRemaining != 0 || padRemaining != 0)) {
            throw new InvalidLayerException("the tar stream ends inside an entry (truncated, or not a tar archive)");
        }
    }

    /** Uncompressed bytes seen so far. */
    public long total() {
        return total;
    }

    /** Raw xattrs (SCHILY.xattr / LIBARCHIVE.xattr) of the entry whose header was read last. */
    public Map<String, byte[]> currentXattrs() {
        return currentXattrs;
    }

    private void inspect(byte[] b, int off, int len) throws InvalidLayerException {
        int i = off;
        int end = off + len;
        while (i < end && !trailer) {
            if (dataRemaining > 0) {
                int take = (int) Math.min(dataRemaining, end - i);
                if (meta != null) {
                    meta.write(b, i, take);
                }
                dataRemaining -= take;
                i += take;
                if (dataRemaining == 0) {
                    finishData();
                }
            } else if (padRemaining > 0) {
                int take = (int) Math.min(padRemaining, end - i);
                padRemaining -= take;
                i += take;
            } else {
                int take = Math.min(BLOCK - headerFill, end - i);
                System.arraycopy(b, i, header, headerFill, take);
                headerFill += take;
                i += take;
                if (headerFill == BLOCK) {
                    headerFill = 0;
                    onHeader();
                }
            }
        }
    }

    private void onHeader() throws InvalidLayerException {
        boolean zero = true;
        for (byte x : header) {
            if (x != 0) {
                zero = false;
                break;
            }
        }
        if (zero) {
            trailer = true;
            return;
        }
        byte type = header[156];
        long size;
        try {
            size = TarUtils.parseOctalOrBinary(header, 124, 12);
        } catch (IllegalArgumentException e) {
            throw new InvalidLayerException(headerName(), "has a malformed size field", e);
        }
        if (size < 0) {
            throw new InvalidLayerException(headerName(), "has a negative size");
        }
        switch (type) {
            case 'x':
            case 'g':
            case 'L':
            case 'K':
                metaBytes += size;
                if (metaBytes > limits.maxHeaderBytes()) {
                    throw new InvalidLayerException(pendingName != null ? pendingName : headerName(),
                            "extended headers of " + metaBytes + " bytes exceed the limit of "
                                    + limits.maxHeaderBytes() + " bytes");
                }
                metaType = type;
                meta = new ByteArrayOutputStream((int) size);
                begin(size);
                if (size == 0) {
                    finishData();
                }
                return;
            case 'S':
                throw new InvalidLayerException(name(), "GNU sparse files are not supported");
            case '0':
            case 0:
            case '7':
                long fileSize = paxSize != null ? paxSize : size;
                if (fileSize > limits.maxFileBytes()) {
                    throw new InvalidLayerException(name(), "a file of " + fileSize
                            + " bytes exceeds the limit of " + limits.maxFileBytes() + " bytes");
                }
                startEntry(fileSize);
                return;
            case '1':
            case '2':
            case '3':
            case '4':
            case '5':
            case '6':
                long declared = paxSize != null ? paxSize : size;
                if (declared != 0) {
                    throw new InvalidLayerException(name(), "a link, directory, device or FIFO entry declares "
                            + declared + " data bytes (must be 0)");
                }
                startEntry(0);
                return;
            default:
                throw new InvalidLayerException(name(), "unsupported tar entry type '" + printableType(type) + "'");
        }
    }

    private void startEntry(long dataSize) throws InvalidLayerException {
        if (!nameFromExtension) {
            utf8(header, 0, 100, "name");
            if (ustar()) {
                utf8(header, 345, 155, "name");
            }
        }
        if (!linkFromExtension) {
            utf8(header, 157, 100, "link target");
        }
        nameFromExtension = false;
        linkFromExtension = false;
        entries++;
        if (entries > limits.maxEntries()) {
            throw new InvalidLayerException("the layer has more than the limit of " + limits.maxEntries() + " entries");
        }
        currentXattrs = pendingXattrs;
        pendingXattrs = new LinkedHashMap<>();
        paxSize = null;
        pendingName = null;
        metaBytes = 0;
        begin(dataSize);
    }

    private void begin(long dataSize) {
        dataRemaining = dataSize;
        padRemaining = (BLOCK - dataSize % BLOCK) % BLOCK;
    }

    private void finishData() throws InvalidLayerException {
        if (meta == null) {
            return;
        }
        byte[] data = meta.toByteArray();
        meta = null;
        if (metaType == 'x' || metaType == 'g') {
            parsePax(data, metaType == 'g');
        } else if (metaType == 'L' || metaType == 'K') {
            int n = data.length;
            while (n > 0 && data[n - 1] == 0) {
                n--;
            }
            String value = utf8(data, 0, n, metaType == 'L' ? "long name" : "long link target");
            if (metaType == 'L') {
                pendingName = value;
                nameFromExtension = true;
            } else {
                linkFromExtension = true;
            }
        }
    }

    private void parsePax(byte[] data, boolean global) throws InvalidLayerException {
        for (PaxRecords.Record r : PaxRecords.parse(data, name())) {
            record(r.key(), r.value(), global);
        }
    }

    private void record(String key, byte[] value, boolean global) throws InvalidLayerException {
        if (key.startsWith("GNU.sparse.")) {
            throw new InvalidLayerException(name(), "GNU sparse files are not supported");
        }
        if (key.equals("size")) {
            if (global) {
                throw new InvalidLayerException("a global PAX header sets 'size' for all entries");
            }
            String v = new String(value, StandardCharsets.US_ASCII);
            if (!v.matches("[0-9]{1,19}")) {
                throw new InvalidLayerException(name(), "has an invalid PAX size '" + v + "'");
            }
            try {
                paxSize = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new InvalidLayerException(name(), "has an invalid PAX size '" + v + "'");
            }
        } else if (global) {
            return;
        } else if (key.equals("path")) {
            pendingName = utf8(value, 0, value.length, "PAX path");
            nameFromExtension = true;
        } else if (key.equals("linkpath")) {
            utf8(value, 0, value.length, "PAX link path");
            linkFromExtension = true;
        } else if (key.startsWith("SCHILY.xattr.")) {
            pendingXattrs.put(key.substring("SCHILY.xattr.".length()), value);
        } else if (key.startsWith("LIBARCHIVE.xattr.")) {
            String xattr = PaxRecords.percentDecode(key.substring("LIBARCHIVE.xattr.".length()));
            pendingXattrs.putIfAbsent(xattr, PaxRecords.base64(value, name(), xattr));
        }
    }

    /**
     * Decodes a NUL-terminated field strictly. Commons Compress would turn invalid UTF-8 into '?'
     * and extract under another name; Java cannot name such files at all (sun.jnu.encoding), so
     * the layer is refused instead.
     */
    private String utf8(byte[] b, int off, int len, String what) throws InvalidLayerException {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b, off, end - off)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new InvalidLayerException(new String(b, off, end - off, StandardCharsets.UTF_8),
                    "its " + what + " is not valid UTF-8");
        }
    }

    private boolean ustar() {
        return header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
                && header[261] == 'r' && header[262] == 0;
    }

    private String name() {
        return pendingName != null ? pendingName : headerName();
    }

    private String headerName() {
        String name = TarUtils.parseName(header, 0, 100);
        if (ustar()) {
            String prefix = TarUtils.parseName(header, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
        }
        return name;
    }

    private static String printableType(byte type) {
        return type >= 0x20 && type < 0x7f ? String.valueOf((char) type) : String.format("\\x%02x", type & 0xff);
    }
}
