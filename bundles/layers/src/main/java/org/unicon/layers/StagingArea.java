package org.unicon.layers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.unicon.layers.internal.FileTree;
import org.unicon.layers.internal.NodeInfo;
import org.unicon.layers.internal.Posix;

/**
 * Where work in progress lives until it is complete and durable, so that nothing is ever
 * half-visible at its final path. The root directory is created on first use with mode 0700 and
 * must be on the same file system as the commit targets. {@link #create} and {@link #commit} are
 * thread-safe and may run concurrently (also across processes); {@link #clear} must not run while
 * any other call does (it is for recovery at start-up).
 */
public final class StagingArea {

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}");

    private final Path root;

    /** A staging area rooted at {@code root}; nothing is touched until the first call. */
    public StagingArea(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The staging root. */
    public Path root() {
        return root;
    }

    /**
     * Creates a new, empty, uniquely named directory under the root whose name starts with
     * {@code label} (letters, digits, {@code _ . -}; e.g. a {@link Digest#fileName()}). It has mode
     * 0755 (it may become a layer root, whose mode overlayfs shows as the container's {@code /});
     * the root's 0700 keeps it private meanwhile.
     *
     * @throws IllegalArgumentException for a label that is not a safe file name
     */
    public Path create(String label) throws IOException {
        if (label == null || !LABEL.matcher(label).matches()) {
            throw new IllegalArgumentException("staging label '" + label
                    + "' must be 1-200 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
        }
        Files.createDirectories(root);
        Posix.chmod(root, 0700);
        Path dir = Files.createTempDirectory(root, label + ".");
        Posix.chmod(dir, 0755);
        return dir;
    }

    /**
     * Publishes {@code staged} (made by {@link #create} on this area) as {@code target}: fsyncs every
     * file and directory in it, renames it atomically (renameat2 RENAME_NOREPLACE) and fsyncs
     * {@code target}'s parent, which is created if missing. When {@code target} already exists
     * (someone else won the race) {@code staged} is deleted and false is returned; the existing
     * {@code target} is untouched. Either way {@code staged} is gone afterwards, unless an
     * IOException is thrown (then it may remain for {@link #clear}).
     *
     * @return true if {@code staged} is now {@code target}
     * @throws IllegalArgumentException if {@code staged} is not a directory of this area
     */
    public boolean commit(Path staged, Path target) throws IOException {
        Path s = staged.toAbsolutePath().normalize();
        if (!root.equals(s.getParent())) {
            throw new IllegalArgumentException("'" + staged + "' is not a staging directory of " + root);
        }
        Path t = target.toAbsolutePath().normalize();
        if (NodeInfo.lstat(t) != null) {
            FileTree.delete(s);
            return false;
        }
        FileTree.sync(s);
        Files.createDirectories(t.getParent());
        if (!Posix.renameNoReplace(s, t)) {
            FileTree.delete(s);
            return false;
        }
        FileTree.force(t.getParent());
        return true;
    }

    /**
     * Removes every leftover of interrupted work (staging directories never committed); the root
     * itself stays. Call it when no {@link #create} or {@link #commit} runs, e.g. in recover().
     */
    public void clear() throws IOException {
        FileTree.deleteContents(root);
    }
}
