package org.unicon.launcher.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserLookupTest {

    @TempDir
    Path rootfs;

    private void image(String passwd, String group) throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), passwd);
        Files.writeString(rootfs.resolve("etc/group"), group);
    }

    @Test
    void namesResolveThroughTheImagesFiles() throws Exception {
        image("root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n",
                "app:x:1000:\nwheel:x:10:root,app\naudio:x:29:app\n");
        assertEquals(new UserLookup.Ids(1000, 1000, List.of(10L, 29L)), UserLookup.resolve("c1", "app", rootfs));
        assertEquals(new UserLookup.Ids(1000, 10, List.of(29L)), UserLookup.resolve("c1", "app:wheel", rootfs));
        assertEquals(new UserLookup.Ids(0, 0, List.of()), UserLookup.resolve("c1", "", rootfs));
    }

    @Test
    void numericIdsNeedNoEntry() throws Exception {
        image("root:x:0:0::/root:/bin/sh\n", "");
        assertEquals(new UserLookup.Ids(4242, 0, List.of()), UserLookup.resolve("c1", "4242", rootfs));
        assertEquals(new UserLookup.Ids(4242, 77, List.of()), UserLookup.resolve("c1", "4242:77", rootfs));
    }

    @Test
    void unknownNamesAreClearErrors() throws Exception {
        image("root:x:0:0::/root:/bin/sh\n", "root:x:0:\n");
        IllegalArgumentException user = assertThrows(IllegalArgumentException.class,
                () -> UserLookup.resolve("c1", "ghost", rootfs));
        assertTrue(user.getMessage().contains("user 'ghost' of container 'c1' is not in the image's /etc/passwd"),
                user.getMessage());
        IllegalArgumentException group = assertThrows(IllegalArgumentException.class,
                () -> UserLookup.resolve("c1", "root:ghosts", rootfs));
        assertTrue(group.getMessage().contains("group 'ghosts'"), group.getMessage());
    }

    @Test
    void symlinksInTheImageStayInsideTheImage(@TempDir Path host) throws Exception {
        // /etc/passwd -> /host-passwd (absolute): must mean <rootfs>/host-passwd, never the host's file.
        Files.writeString(host.resolve("passwd"), "evil:x:0:0::/:/bin/sh\n");
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("real-passwd"), "app:x:1000:1000::/:/bin/sh\n");
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("../../../.." + host.resolve("passwd")));
        assertThrows(IllegalArgumentException.class, () -> UserLookup.resolve("c1", "evil", rootfs));

        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/real-passwd"));
        assertEquals(1000, UserLookup.resolve("c1", "app", rootfs).uid());
    }
}
