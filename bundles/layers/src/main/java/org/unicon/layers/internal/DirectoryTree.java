package org.unicon.layers.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.unicon.layers.InvalidLayerException;

/**
 * The directories an extraction has created or verified in its target, mirrored in memory. A
 * node exists exactly when a real directory (not a link) is at its path, so walking a parent
 * chain costs hash lookups instead of one lstat per component (a layer of deep paths stays
 * near-linear, GHSA-rp3h-jf77-q9p4), and memory grows with the number of directories, not with
 * the length of their paths. Also carries what is applied once the layer is complete: opaque
 * markers and directory modes and times.
 */
final class DirectoryTree {

    static final class Node {
        final String name;
        final Node parent;
        private Map<String, Node> children;
        EntryMetadata metadata;
        boolean opaque;

        Node(String name, Node parent) {
            this.name = name;
            this.parent = parent;
        }

        Node child(String childName) {
            return children == null ? null : children.get(childName);
        }

        Node add(String childName) {
            if (children == null) {
                children = new HashMap<>();
            }
            Node n = new Node(childName, this);
            children.put(childName, n);
            return n;
        }

        void remove(String childName) {
            if (children != null) {
                children.remove(childName);
            }
        }
    }

    private final Path target;
    final Node root = new Node("", null);

    DirectoryTree(Path target) {
        this.target = target;
    }

    Path path(Node node) {
        Deque<String> names = new ArrayDeque<>();
        for (Node n = node; n.parent != null; n = n.parent) {
            names.push(n.name);
        }
        return names.isEmpty() ? target : target.resolve(String.join("/", names));
    }

    /** The node of {@code components} when all of them are known directories, else null. */
    Node find(List<String> components) {
        Node n = root;
        for (String c : components) {
            n = n.child(c);
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    /**
     * Makes every component a real directory and returns the last one's node. An absent one is
     * created (0755); a whiteout of this layer becomes an opaque directory (this layer's entries
     * under it stay, lower ones stay hidden); a symbolic link or any other file is refused.
     */
    Node ensure(String entry, List<String> components) throws IOException {
        Node n = root;
        for (int i = 0; i < components.size(); i++) {
            Node next = n.child(components.get(i));
            if (next == null) {
                Path dir = path(n).resolve(components.get(i));
                NodeInfo info = NodeInfo.lstat(dir);
                String rel = String.join("/", components.subList(0, i + 1));
                if (info != null && info.isSymlink()) {
                    throw new InvalidLayerException(entry, "has a parent '" + rel
                            + "' that is a symbolic link; a layer may not write through links");
                }
                if (info != null && !info.isWhiteout()) {
                    throw new InvalidLayerException(entry, "has a parent '" + rel + "' that is not a directory");
                }
                if (info != null) {
                    Files.delete(dir);
                }
                Files.createDirectory(dir);
                Posix.chmod(dir, 0755);
                next = n.add(components.get(i));
                next.opaque = info != null;
            }
            n = next;
        }
        return n;
    }

    /**
     * Once the layer is complete: opaque xattrs, then each directory's mode and times, children
     * before parents (creating a child changes its parent's mtime; a 0555 parent would not
     * matter to root, but would to anyone else).
     */
    void finish() throws IOException {
        Deque<Node> stack = new ArrayDeque<>();
        Deque<Node> postOrder = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            postOrder.push(n);
            if (n.children != null) {
                n.children.values().forEach(stack::push);
            }
        }
        for (Node n : postOrder) {
            Path dir = path(n);
            if (n.opaque) {
                Xattrs.setOpaque(dir);
            }
            if (n.metadata != null && n != root) {
                n.metadata.modeAndTimes(dir, false);
            }
        }
    }
}
