package org.unicon.launcher.posix.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.unicon.launcher.LaunchRequest;
import org.unicon.model.CommandInfo;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.Environment;

/**
 * What the monitor runs, taken from a launch request and checked: the posix launcher runs plain
 * host processes, so it refuses launch info it cannot honour rather than ignore isolation.
 *
 * @param user the user to run as, or "" to stay the agent's user
 * @param shell run {@code value} with {@code /bin/sh -c}; otherwise exec {@code value} (looked up
 *            in PATH) with {@code argv}
 * @param argv the command's argv including argv[0] (Mesos's {@code arguments}); [value] if the
 *            launch info has no arguments
 * @param environment exactly the command's environment, PATH defaulted if absent
 */
record MonitorCommand(String user, boolean shell, String value, List<String> argv,
        Map<String, String> environment, Path workingDirectory) {

    /** Mesos's {@code os::host_default_path()}. */
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    static MonitorCommand of(LaunchRequest request) {
        String id = request.containerId().getValue();
        ContainerLaunchInfo info = request.launchInfo();
        refuseUnsupported(id, info);
        if (!info.hasCommand() || info.getCommand().getValue().isEmpty()) {
            throw new IllegalArgumentException("container '" + id + "' has no command to run"
                    + " (launch info command.value is empty)");
        }
        CommandInfo command = info.getCommand();
        String user = info.hasUser() ? info.getUser() : command.getUser();
        List<String> argv = command.getShell() || command.getArgumentsCount() == 0
                ? List.of(command.getValue()) : List.copyOf(command.getArgumentsList());
        // The core merges the command's environment into the launch info's; applying it again
        // keeps Mesos's precedence (the command's variables win) if it did not.
        Map<String, String> environment = new LinkedHashMap<>();
        addVariables(id, info.getEnvironment(), environment);
        addVariables(id, command.getEnvironment(), environment);
        environment.putIfAbsent("PATH", DEFAULT_PATH);
        Path workingDirectory = info.getWorkingDirectory().isEmpty() ? request.sandbox()
                : request.sandbox().resolve(info.getWorkingDirectory());
        checkNoNul(id, "user", user);
        checkNoNul(id, "command.value", command.getValue());
        for (String arg : argv) {
            checkNoNul(id, "command.arguments", arg);
        }
        return new MonitorCommand(user, command.getShell(), command.getValue(), argv,
                environment, workingDirectory);
    }

    /** The monitor's {@code command} file: NUL-terminated user, shell (1/0), value, argv. */
    byte[] commandFile() {
        List<String> fields = new ArrayList<>();
        fields.add(user);
        fields.add(shell ? "1" : "0");
        fields.add(value);
        fields.addAll(argv);
        return nulTerminated(fields);
    }

    /** The monitor's {@code environment} file: NUL-terminated NAME=VALUE. */
    byte[] environmentFile() {
        List<String> fields = new ArrayList<>();
        environment.forEach((name, val) -> fields.add(name + "=" + val));
        return nulTerminated(fields);
    }

    private static void refuseUnsupported(String id, ContainerLaunchInfo info) {
        List<String> fields = new ArrayList<>();
        if (!info.getRootfs().isEmpty()) {
            fields.add("rootfs");
        }
        if (info.getCloneNamespacesCount() > 0) {
            fields.add("clone_namespaces");
        }
        if (info.getEnterNamespacesCount() > 0) {
            fields.add("enter_namespaces");
        }
        if (info.getMountsCount() > 0) {
            fields.add("mounts");
        }
        if (info.getMaskedPathsCount() > 0) {
            fields.add("masked_paths");
        }
        if (info.hasEffectiveCapabilities()) {
            fields.add("effective_capabilities");
        }
        if (info.hasBoundingCapabilities()) {
            fields.add("bounding_capabilities");
        }
        if (info.hasRlimits()) {
            fields.add("rlimits");
        }
        if (info.getSupplementaryGroupsCount() > 0) {
            fields.add("supplementary_groups");
        }
        if (info.getNoNewPrivileges()) {
            fields.add("no_new_privileges");
        }
        if (!fields.isEmpty()) {
            throw new IllegalArgumentException("the posix launcher cannot run container '" + id
                    + "': its launch info sets " + String.join(", ", fields)
                    + ", which only the linux launcher implements (set launcher=linux)");
        }
    }

    private static void addVariables(String id, Environment env, Map<String, String> into) {
        for (Environment.Variable v : env.getVariablesList()) {
            if (v.getType() == Environment.Variable.Type.SECRET) {
                continue; // as in Mesos: the environment_secret isolator contributes the value
            }
            String name = v.getName();
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("container '" + id + "' has an environment"
                        + " variable with an invalid name '" + name + "' (empty, or has '=' or NUL)");
            }
            checkNoNul(id, "environment variable " + name, v.getValue());
            into.put(name, v.getValue());
        }
    }

    private static void checkNoNul(String id, String what, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " of container '" + id
                    + "' contains a NUL character");
        }
    }

    private static byte[] nulTerminated(List<String> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String field : fields) {
            out.writeBytes(field.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }
}
