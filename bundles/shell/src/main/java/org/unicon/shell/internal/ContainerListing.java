package org.unicon.shell.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.unicon.model.ContainerInfo;
import org.unicon.model.ContainerState;
import org.unicon.model.Image;
import org.unicon.model.agent.Response;

/** What {@code unicon:containers} prints: one line per container, sorted by ID. */
final class ContainerListing {

    // Linux signal numbers 1..31.
    private static final String[] SIGNALS = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
            "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
            "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
            "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};

    private ContainerListing() {
    }

    static String format(List<Response.GetContainers.Container> containers) {
        if (containers.isEmpty()) {
            return "no containers\n";
        }
        TextTable table = new TextTable("ID", "STATE", "IMAGE", "EXIT", "MESSAGE");
        containers.stream()
                .sorted(Comparator.comparing(c -> c.getContainerId().getValue()))
                .forEach(c -> table.row(c.getContainerId().getValue(), state(c), image(c.getContainerInfo()),
                        exit(c), c.getTermination().getMessage()));
        return table.toString();
    }

    private static String state(Response.GetContainers.Container c) {
        if (c.hasState()) {
            return c.getState().name();
        }
        return c.hasTermination() ? ContainerState.TERMINATED.name() : "UNKNOWN";
    }

    /** The image's name (docker or appc), or "-" for a container without an image. */
    static String image(ContainerInfo info) {
        if (info.hasMesos() && info.getMesos().hasImage()) {
            Image image = info.getMesos().getImage();
            if (image.getType() == Image.Type.APPC || (!image.hasType() && image.hasAppc())) {
                return image.getAppc().getName();
            }
            if (image.hasDocker()) {
                return image.getDocker().getName();
            }
        }
        if (info.hasDocker() && info.getDocker().hasImage()) {
            return info.getDocker().getImage();
        }
        return "-";
    }

    private static String exit(Response.GetContainers.Container c) {
        if (!c.hasTermination()) {
            return "-";
        }
        Response.WaitContainer t = c.getTermination();
        if (!t.hasExitStatus()) {
            // No process exit to report (e.g. the launch failed): the reason, in words.
            return t.hasReason()
                    ? t.getReason().name().replaceFirst("^REASON_", "").toLowerCase(Locale.ROOT).replace('_', ' ')
                    : "no status";
        }
        return waitStatus(t.getExitStatus());
    }

    /** A raw wait(2) status as a shell user reads it: "exit 3", "signal 9 (SIGKILL)". */
    static String waitStatus(int status) {
        int signal = status & 0x7f;
        if (signal == 0) {
            return "exit " + ((status >> 8) & 0xff);
        }
        if (signal == 0x7f) {
            return "stopped by signal " + ((status >> 8) & 0xff);
        }
        String name = signal < SIGNALS.length ? " (" + SIGNALS[signal] + ")" : "";
        return "signal " + signal + name + ((status & 0x80) != 0 ? ", core dumped" : "");
    }
}
