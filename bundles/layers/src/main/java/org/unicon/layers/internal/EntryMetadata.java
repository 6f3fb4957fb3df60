package org.unicon.layers.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.unicon.layers.InvalidLayerException;

/** Ownership, permissions, times and xattrs of one tar entry, checked for range. */
record EntryMetadata(String entry, long uid, long gid, int mode, FileTime atime, FileTime mtime,
        Map<String, byte[]> xattrs) {

    /** uid_t and gid_t are 32 bits and -1 means "unchanged" to chown. */
    private static final long MAX_ID = 0xFFFFFFFEL;

    static EntryMetadata of(TarArchiveEntry entry, Map<String, byte[]> xattrs) throws InvalidLayerException {
        long uid = entry.getLongUserId();
        long gid = entry.getLongGroupId();
        if (uid < 0 || uid > MAX_ID || gid < 0 || gid > MAX_ID) {
            throw new InvalidLayerException(entry.getName(), "has owner " + uid + ":" + gid + " outside 0.." + MAX_ID);
        }
        FileTime mtime = entry.getLastModifiedTime();
        FileTime atime = entry.getLastAccessTime();
        return new EntryMetadata(entry.getName(), uid, gid, entry.getMode() & 07777,
                atime != null ? atime : mtime, mtime, xattrs);
    }

    /** lchown (when root), then xattrs: both before chmod, because chown clears setuid bits. */
    void ownerAndXattrs(Path file, boolean root, boolean symlink) throws IOException {
        if (root) {
            Posix.lchown(file, uid, gid);
        }
        Xattrs.apply(file, entry, xattrs, symlink);
    }

    /** Mode (never on a symlink) and then times. */
    void modeAndTimes(Path file, boolean symlink) throws IOException {
        if (!symlink) {
            Posix.chmod(file, mode);
        }
        if (mtime != null) {
            Instant a = atime.toInstant();
            Instant m = mtime.toInstant();
            Posix.lutimes(file, a.getEpochSecond(), a.getNano(), m.getEpochSecond(), m.getNano());
        }
    }

    void all(Path file, boolean root, boolean symlink) throws IOException {
        ownerAndXattrs(file, root, symlink);
        modeAndTimes(file, symlink);
    }
}
