package org.unicon.layers.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.unicon.layers.Digest;
import org.unicon.layers.ExtractOptions;
import org.unicon.layers.Extracted;
import org.unicon.layers.InvalidLayerException;

/**
 * One extraction of one layer into one target directory, in overlay form. Not thread-safe; one
 * instance per call.
 *
 * <p>Containment: every name is resolved lexically ({@link EntryPath}); every parent component is
 * lstat'ed and must be a real directory (a symbolic link as a parent is refused, never followed);
 * the last component is created with calls that do not follow links (O_EXCL create, mkdir, mknod,
 * symlink, link) after whatever was there is removed ("changeset over existing files": only
 * directory over directory merges). Hard links must name an earlier non-directory entry of this
 * layer, reached the same way. Metadata is set with lchown, lsetxattr, chmod (only on
 * non-links) and utimensat(AT_SYMLINK_NOFOLLOW), in that order, so setuid bits survive chown.
 * The target is assumed private to the caller while this runs (a staging directory); the defence
 * is against the archive, not against another local root process racing us.
 */
public final class TarUnpacker {

    private static final System.Logger LOG = System.getLogger(TarUnpacker.class.getName());

    private final Path target;
    private final ExtractOptions options;
    private final List<String> prefix;
    private final boolean root = Posix.geteuid() == 0;
    private final DirectoryTree tree;
    private final byte[] buffer = new byte[64 * 1024];
    private EntryMetadata rootMetadata;
    private long skippedDevices;

    public TarUnpacker(Path target, ExtractOptions options) throws InvalidLayerException {
        this.target = target.toAbsolutePath().normalize();
        this.options = options;
        this.tree = new DirectoryTree(this.target);
        this.prefix = options.stripPrefix().isEmpty() ? List.of()
                : EntryPath.resolve(options.stripPrefix(), options.stripPrefix(), "strip prefix");
    }

    /** Extracts {@code source} (not closed) into the target; see {@code LayerExtractor#extract}. */
    public Extracted unpack(InputStream source) throws IOException {
        boolean created = prepareTarget();
        SourceStream src = new SourceStream(source);
        MessageDigest sha256 = Digest.newMessageDigest("sha256");
        InputStream decompressed = null;
        try {
            decompressed = org.unicon.layers.Decompression.open(src);
            TarStreamGuard guard = new TarStreamGuard(decompressed, options.limits(), sha256);
            @SuppressWarnings("deprecation")
            TarArchiveInputStream tar = new TarArchiveInputStream(guard, "UTF-8");
            long entries = 0;
            TarArchiveEntry entry;
            while ((entry = next(tar, src)) != null) {
                entries++;
                unpackEntry(tar, src, entry, guard.currentXattrs());
            }
            parse(src, () -> {
                guard.drain();
                return null;
            });
            finish();
            if (skippedDevices > 0) {
                LOG.log(Level.INFO, "layer in " + target + ": skipped " + skippedDevices
                        + " device node(s) (device creation is not allowed here)");
            }
            return new Extracted(Digest.of("sha256", sha256.digest()), entries, guard.total());
        } catch (IOException | RuntimeException | Error e) {
            try {
                if (created) {
                    FileTree.delete(target);
                } else {
                    FileTree.deleteContents(target);
                }
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        } finally {
            if (decompressed != null) {
                try {
                    decompressed.close();
                } catch (IOException ignored) {
                    // only releases the inflater; the source is the caller's
                }
            }
        }
    }

    private boolean prepareTarget() throws IOException {
        NodeInfo info = NodeInfo.lstat(target);
        if (info == null) {
            Files.createDirectory(target);
            Posix.chmod(target, 0755);
            return true;
        }
        if (!info.isDirectory()) {
            throw new IOException("extraction target '" + target + "' is not a directory");
        }
        try (var children = Files.list(target)) {
            if (children.findAny().isPresent()) {
                throw new IOException("extraction target '" + target + "' is not empty");
            }
        }
        return false;
    }

    private interface TarCall<T> {
        T call() throws IOException;
    }

    /**
     * Runs a read of the tar stream and classifies its failures: the source's own I/O errors stay
     * as they are (retryable), anything the decoder or parser rejects becomes invalid layer.
     */
    private static <T> T parse(SourceStream src, TarCall<T> call) throws IOException {
        try {
            return call.call();
        } catch (InvalidLayerException e) {
            throw e;
        } catch (IOException e) {
            if (src.failure() != null) {
                throw src.failure();
            }
            throw new InvalidLayerException("malformed tar stream: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new InvalidLayerException("malformed tar stream: " + e, e);
        }
    }

    private static TarArchiveEntry next(TarArchiveInputStream tar, SourceStream src) throws IOException {
        return parse(src, tar::getNextEntry);
    }

    private void unpackEntry(TarArchiveInputStream tar, SourceStream src, TarArchiveEntry entry,
            Map<String, byte[]> xattrs) throws IOException {
        String name = entry.getName();
        List<String> path = EntryPath.resolve(name, name, "name");
        if (!prefix.isEmpty()) {
            if (path.size() < prefix.size() || !path.subList(0, prefix.size()).equals(prefix)) {
                return;
            }
            path = path.subList(prefix.size(), path.size());
        }
        for (int i = 0; i < path.size() - 1; i++) {
            if (path.get(i).startsWith(".wh.")) {
                if (path.get(i).startsWith(".wh..wh.")) {
                    return; // inside AUFS metadata (.wh..wh.plnk etc.): ignored, as moby does
                }
                throw new InvalidLayerException(name, "is inside a whiteout ('" + path.get(i) + "')");
            }
        }
        char type = type(entry);
        if (path.isEmpty()) {
            if (type != '5') {
                throw new InvalidLayerException(name, "would replace the layer root with a non-directory");
            }
            rootMetadata = EntryMetadata.of(entry, xattrs);
            return;
        }
        String base = path.get(path.size() - 1);
        DirectoryTree.Node parent = tree.ensure(name, path.subList(0, path.size() - 1));
        if (base.startsWith(".wh.")) {
            whiteoutEntry(name, parent, base);
            return;
        }
        Path file = tree.path(parent).resolve(base);
        switch (type) {
            case '5': {
                EntryMetadata m = EntryMetadata.of(entry, xattrs);
                DirectoryTree.Node dir = replace(file, parent, base, true);
                if (dir == null) {
                    Files.createDirectory(file);
                    dir = parent.add(base);
                }
                m.ownerAndXattrs(file, root, false);
                dir.metadata = m;
                break;
            }
            case '2': {
                String link = entry.getLinkName();
                EntryPath.checkChars(link, name, "symlink target");
                if (link.isEmpty() || link.getBytes(StandardCharsets.UTF_8).length > EntryPath.PATH_MAX) {
                    throw new InvalidLayerException(name, "has an empty or over-long symlink target");
                }
                EntryMetadata m = EntryMetadata.of(entry, xattrs);
                replace(file, parent, base, false);
                Posix.symlink(link, file);
                m.all(file, root, true);
                break;
            }
            case '1':
                hardLink(name, entry.getLinkName(), file, parent, base);
                break;
            case '3':
            case '4':
                device(entry, xattrs, type == '3', file, parent, base);
                break;
            case '6': {
                EntryMetadata m = EntryMetadata.of(entry, xattrs);
                replace(file, parent, base, false);
                Posix.mknod(file, Posix.S_IFIFO, m.mode(), 0, 0);
                m.all(file, root, false);
                break;
            }
            default: {
                EntryMetadata m = EntryMetadata.of(entry, xattrs);
                replace(file, parent, base, false);
                try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    while (true) {
                        int n = parse(src, () -> tar.read(buffer, 0, buffer.length));
                        if (n < 0) {
                            break;
                        }
                        ByteBuffer bb = ByteBuffer.wrap(buffer, 0, n);
                        while (bb.hasRemaining()) {
                            out.write(bb);
                        }
                    }
                }
                m.all(file, root, false);
            }
        }
    }

    /**
     * The entry's type from its type flag alone (Commons Compress also calls any name ending in
     * '/' a directory, which would let a symlink entry named "x/" become a directory). As Go's
     * archive/tar, an old-style regular entry ('\0') whose name ends in '/' is a directory.
     * Returns '0' for regular files; the stream guard has refused every other flag.
     */
    private static char type(TarArchiveEntry entry) {
        char flag = (char) entry.getLinkFlag();
        switch (flag) {
            case '1': case '2': case '3': case '4': case '5': case '6':
                return flag;
            case 0:
                return entry.getName().endsWith("/") ? '5' : '0';
            default:
                return '0';
        }
    }

    private void whiteoutEntry(String name, DirectoryTree.Node parent, String base) throws IOException {
        if (base.equals(".wh..wh..opq")) {
            parent.opaque = true;
            return;
        }
        if (base.startsWith(".wh..wh.")) {
            return; // other AUFS metadata
        }
        String hidden = base.substring(".wh.".length());
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
            throw new InvalidLayerException(name, "is a whiteout that names no file ('" + base + "')");
        }
        whiteout(tree.path(parent).resolve(hidden), parent, hidden);
    }

    /**
     * Whiteouts hide lower layers only (image-spec): with nothing of this layer at the path it
     * becomes a 0/0 device; over a directory of this layer it makes that directory opaque; over
     * anything else of this layer it changes nothing (that entry already hides the lower ones).
     */
    private void whiteout(Path file, DirectoryTree.Node parent, String base) throws IOException {
        DirectoryTree.Node dir = parent.child(base);
        if (dir != null) {
            dir.opaque = true;
        } else if (NodeInfo.lstat(file) == null) {
            Posix.mknod(file, Posix.S_IFCHR, 0, 0, 0);
        }
    }

    private void device(TarArchiveEntry entry, Map<String, byte[]> xattrs, boolean character, Path file,
            DirectoryTree.Node parent, String base) throws IOException {
        int major = entry.getDevMajor();
        int minor = entry.getDevMinor();
        if (major < 0 || minor < 0) {
            throw new InvalidLayerException(entry.getName(), "has an invalid device number " + major + ":" + minor);
        }
        if (character && major == 0 && minor == 0) {
            whiteout(file, parent, base); // the overlay form of a whiteout, whichever way the layer spelled it
            return;
        }
        if (!options.devices()) {
            skippedDevices++;
            return;
        }
        EntryMetadata m = EntryMetadata.of(entry, xattrs);
        replace(file, parent, base, false);
        Posix.mknod(file, character ? Posix.S_IFCHR : Posix.S_IFBLK, m.mode(), major, minor);
        m.all(file, root, false);
    }

    /**
     * A hard link must name an earlier non-directory entry of this layer, reached through real
     * directories only; link(2) does not follow a symlink, so a link to a link is a link.
     */
    private void hardLink(String name, String linkName, Path file, DirectoryTree.Node parent, String base)
            throws IOException {
        List<String> to = EntryPath.resolve(linkName, name, "hard link target");
        if (!prefix.isEmpty()) {
            if (to.size() < prefix.size() || !to.subList(0, prefix.size()).equals(prefix)) {
                throw new InvalidLayerException(name, "is a hard link to '" + linkName + "', outside " + options.stripPrefix());
            }
            to = to.subList(prefix.size(), to.size());
        }
        replace(file, parent, base, false);
        DirectoryTree.Node dir = to.isEmpty() ? null : tree.find(to.subList(0, to.size() - 1));
        if (dir == null) {
            throw new InvalidLayerException(name, "is a hard link to '" + linkName
                    + "', which is not an earlier file of this layer (or is reached through a link)");
        }
        Path existing = tree.path(dir).resolve(to.get(to.size() - 1));
        NodeInfo info = NodeInfo.lstat(existing);
        if (info == null || info.isDirectory() || info.isWhiteout()) {
            throw new InvalidLayerException(name, "is a hard link to '" + linkName
                    + "', which is not an earlier file of this layer");
        }
        Files.createLink(file, existing);
    }

    /**
     * Clears the way for a new entry ("changeset over existing files"): a directory meeting a
     * directory merges and its node is returned; otherwise whatever is there is removed (a symlink
     * as itself, a directory with its subtree) and null is returned. A directory replacing a
     * whiteout of this layer becomes opaque, so lower layers stay hidden.
     */
    private DirectoryTree.Node replace(Path file, DirectoryTree.Node parent, String base, boolean directory)
            throws IOException {
        DirectoryTree.Node existingDir = parent.child(base);
        if (existingDir != null) {
            if (directory) {
                return existingDir;
            }
            parent.remove(base);
            FileTree.delete(file);
            return null;
        }
        NodeInfo info = NodeInfo.lstat(file);
        if (info == null) {
            return null;
        }
        FileTree.delete(file);
        if (directory && info.isWhiteout()) {
            Files.createDirectory(file);
            DirectoryTree.Node dir = parent.add(base);
            dir.opaque = true;
            return dir;
        }
        return null;
    }

    private void finish() throws IOException {
        tree.finish();
        if (rootMetadata != null) {
            rootMetadata.all(target, root, false);
        }
    }
}
