package org.unicon.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.unicon.model.PluginInfo;
import org.unicon.model.PluginInfo.Kind;
import org.unicon.model.PluginInfo.Status;

class PluginListingTest {

    @Test
    void listsPluginsByKindAndNameAndSummarisesWhatIsMissing() {
        List<PluginInfo> plugins = List.of(
                plugin(Kind.LAUNCHER, "posix", Status.IN_USE).setBundle("org.unicon.launcher.posix")
                        .setBundleVersion("0.1.0").build(),
                plugin(Kind.ISOLATOR, "filesystem/linux", Status.AVAILABLE).setBundle("org.unicon.isolator.fs")
                        .setBundleVersion("1.2.0").build(),
                plugin(Kind.ISOLATOR, "cgroups/mem", Status.MISSING).addRequires("cgroups/all")
                        .setProblem("configured in isolation, but no isolator 'cgroups/mem' is registered").build(),
                plugin(Kind.PROVISIONER_BACKEND, "aufs", Status.UNUSABLE).setBundle("org.unicon.backend.aufs")
                        .setBundleVersion("1.0.0").addRequires("a").addRequires("b")
                        .setProblem("the kernel has no aufs").build());

        assertEquals("""
                KIND                 NAME              STATUS     BUNDLE                           REQUIRES     PROBLEM
                isolator             cgroups/mem       missing    -                                cgroups/all  configured in isolation, but no isolator 'cgroups/mem' is registered
                isolator             filesystem/linux  available  org.unicon.isolator.fs 1.2.0     -
                launcher             posix             in-use     org.unicon.launcher.posix 0.1.0  -
                provisioner-backend  aufs              unusable   org.unicon.backend.aufs 1.0.0    a,b          the kernel has no aufs
                1 configured but missing: isolator cgroups/mem
                1 unusable: provisioner-backend aufs
                """, PluginListing.format(plugins));
    }

    @Test
    void noPlugins() {
        assertEquals("no plugins registered or configured\n", PluginListing.format(List.of()));
    }

    static PluginInfo.Builder plugin(Kind kind, String name, Status status) {
        return PluginInfo.newBuilder().setKind(kind).setName(name).setStatus(status);
    }
}
