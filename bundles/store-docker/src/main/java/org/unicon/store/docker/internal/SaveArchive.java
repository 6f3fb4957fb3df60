package org.unicon.store.docker.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * An image archive (a {@code docker save} tar or an OCI archive), read in place: the tar is
 * indexed once and entries are read by position, so several layers can stream from it at the
 * same time. Paths inside the archive are resolved in the archive's own namespace: {@code ..}
 * stops at the archive root, symbolic links (which {@code docker save} uses for duplicate
 * layers) and hard links are followed only to other entries, never to the host's files
 * (trust.md §1.4 case 24).
 */
final class SaveArchive implements Closeable {
    private static final int MAX_LINK_HOPS = 40;
    private static final int MAX_ENTRIES = 1_000_000;

    private record Entry(String name, TarArchiveEntry tar) {}

    private final Path file;
    private final FileChannel channel;
    private final Map<String, Entry> entries = new HashMap<>();

    private SaveArchive(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    static SaveArchive open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        SaveArchive a = new SaveArchive(file, ch);
        try {
            ByteBuffer magic = ByteBuffer.allocate(2);
            ch.read(magic, 0);
            if (magic.position() == 2 && (magic.get(0) & 0xff) == 0x1f && (magic.get(1) & 0xff) == 0x8b) {
                throw new PullException("archive " + file + " is gzip-compressed; image archives are plain tar"
                        + " (as docker save writes them): gunzip it first");
            }
            try (TarFile tar = new TarFile(file)) {
                List<TarArchiveEntry> list = tar.getEntries();
                if (list.size() > MAX_ENTRIES) {
                    throw new PullException("archive " + file + " has more than " + MAX_ENTRIES + " entries");
                }
                for (TarArchiveEntry e : list) {
                    String name = normalize(e.getName());
                    if (!name.isEmpty()) {
                        a.entries.put(name, new Entry(name, e));
                    }
                }
            } catch (PullException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new PullException("archive " + file + " is not a readable tar archive: " + e.getMessage(), e);
            }
            return a;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    Path file() {
        return file;
    }

    /** Whether {@code path} names a regular file (after links) in the archive. */
    boolean exists(String path) {
        try {
            return resolve(path) != null;
        } catch (PullException e) {
            return false;
        }
    }

    /** A JSON document from the archive, capped at {@link Json#MAX_DOCUMENT}. */
    byte[] readJson(String path) throws IOException {
        Entry e = require(path);
        String what = path + " in archive " + file;
        if (e.tar().getSize() > Json.MAX_DOCUMENT) {
            throw new PullException(what + " is " + e.tar().getSize() + " bytes, more than the " + Json.MAX_DOCUMENT
                    + "-byte limit");
        }
        try (InputStream in = open(e)) {
            return Json.readCapped(in, Json.MAX_DOCUMENT, what);
        }
    }

    /** The size of a file entry. */
    long size(String path) throws PullException {
        return require(path).tar().getSize();
    }

    /** The bytes of a file entry. */
    InputStream open(String path) throws PullException {
        return open(require(path));
    }

    private Entry require(String path) throws PullException {
        Entry e = resolve(path);
        if (e == null) {
            throw new PullException("archive " + file + " has no file '" + Descriptor.printable(path) + "'");
        }
        return e;
    }

    private InputStream open(Entry e) throws PullException {
        if (e.tar().isSparse()) {
            throw new PullException("archive " + file + ": '" + e.name() + "' is a sparse file, which image archives do not use");
        }
        return new RegionInputStream(channel, e.tar().getDataOffset(), e.tar().getSize());
    }

    /** The regular file {@code path} leads to inside the archive, or null. */
    private Entry resolve(String path) throws PullException {
        Deque<String> todo = new ArrayDeque<>(components(path));
        List<String> done = new ArrayList<>();
        int hops = 0;
        while (true) {
            while (!todo.isEmpty()) {
                String c = todo.pollFirst();
                if (c.equals("..")) {
                    if (!done.isEmpty()) {
                        done.remove(done.size() - 1);
                    }
                    continue;
                }
                done.add(c);
                Entry e = entries.get(String.join("/", done));
                if (e != null && e.tar().isSymbolicLink()) {
                    if (++hops > MAX_LINK_HOPS) {
                        throw new PullException("archive " + file + ": too many links resolving '" + Descriptor.printable(path) + "'");
                    }
                    done.remove(done.size() - 1);
                    String target = e.tar().getLinkName();
                    if (target.startsWith("/")) {
                        done.clear();
                    }
                    List<String> more = components(target);
                    for (int i = more.size() - 1; i >= 0; i--) {
                        todo.addFirst(more.get(i));
                    }
                }
            }
            Entry e = entries.get(String.join("/", done));
            if (e == null) {
                return null;
            }
            if (e.tar().isLink()) {
                if (++hops > MAX_LINK_HOPS) {
                    throw new PullException("archive " + file + ": too many links resolving '" + Descriptor.printable(path) + "'");
                }
                todo.addAll(components(e.tar().getLinkName()));
                done.clear();
                continue;
            }
            return e.tar().isFile() ? e : null;
        }
    }

    /** Path components without empty ones and {@code .}; {@code ..} is kept for {@link #resolve}. */
    private static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty() && !c.equals(".")) {
                out.add(c);
            }
        }
        return out;
    }

    /** An entry name as a key: no leading {@code ./} or {@code /}, no trailing slash, {@code ..} folded. */
    private static String normalize(String name) {
        List<String> out = new ArrayList<>();
        for (String c : components(name)) {
            if (c.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
            } else {
                out.add(c);
            }
        }
        return String.join("/", out);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** A window of the archive file, read with positional reads (safe from several threads). */
    private static final class RegionInputStream extends InputStream {
        private final FileChannel channel;
        private long position;
        private final long end;

        RegionInputStream(FileChannel channel, long offset, long size) {
            this.channel = channel;
            this.position = offset;
            this.end = offset + size;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= end) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
            if (n < 0) {
                throw new IOException("archive ends inside an entry (truncated)");
            }
            position += n;
            return n;
        }
    }
}
