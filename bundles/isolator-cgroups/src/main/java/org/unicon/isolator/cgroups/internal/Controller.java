package org.unicon.isolator.cgroups.internal;

/**
 * The cgroup controllers these isolators use, by their kernel names. In cgroup v2 there is no
 * {@code cpuacct}: its statistics ({@code cpu.stat}) exist in every v2 cgroup, so it maps to the
 * unified hierarchy whenever that is mounted.
 */
enum Controller {
    CPU("cpu"),
    CPUACCT("cpuacct"),
    MEMORY("memory"),
    PIDS("pids");

    final String kernelName;

    Controller(String kernelName) {
        this.kernelName = kernelName;
    }
}
