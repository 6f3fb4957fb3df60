package org.unicon.cli.internal;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import org.unicon.model.ContainerState;
import org.unicon.model.ResourceStatistics;
import org.unicon.model.agent.Response;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code stats [ID...]}: what running containers use, from the isolators' statistics. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        header = "Show running containers' resource usage: CPU time, throttling, memory, processes.",
        description = {
            "One row per running container (or per ID given): CPU time in user and system mode and the "
                    + "CPU limit; how often and how long CFS throttled it; memory in use, of which RSS, "
                    + "against the limit; the number of processes. The numbers come from the isolators "
                    + "(cgroups/cpu, cgroups/mem, cgroups/pids); '-' where no isolator measures it."})
final class StatsCommand implements Callable<Integer> {

    @ParentCommand
    UniconCli unicon;

    @Mixin
    AgentOption agent;

    @Parameters(paramLabel = "ID", arity = "0..*", description = "Container IDs (default: every running one).")
    List<String> ids = List.of();

    @Override
    public Integer call() {
        List<Response.GetContainers.Container> containers = ContainerCalls.list(unicon.client(agent));
        Set<String> wanted = Set.copyOf(ids);
        for (String id : ids) {
            if (containers.stream().noneMatch(c -> c.getContainerId().getValue().equals(id))) {
                throw new CliException(CliException.AGENT_REFUSED, "container '" + id + "' is unknown");
            }
        }
        Table table = new Table("ID", "CPU USER", "CPU SYS", "CPU LIMIT", "THROTTLED", "MEM", "RSS", "MEM LIMIT", "PIDS");
        for (Response.GetContainers.Container c : containers) {
            String id = c.getContainerId().getValue();
            if (wanted.isEmpty() ? c.getState() != ContainerState.RUNNING : !wanted.contains(id)) {
                continue;
            }
            ResourceStatistics s = c.getResourceStatistics();
            table.row(id,
                    s.hasCpusUserTimeSecs() ? seconds(s.getCpusUserTimeSecs()) : "",
                    s.hasCpusSystemTimeSecs() ? seconds(s.getCpusSystemTimeSecs()) : "",
                    s.hasCpusLimit() ? String.format(Locale.ROOT, "%.2f", s.getCpusLimit()) : "",
                    s.hasCpusNrThrottled()
                            ? s.getCpusNrThrottled() + " × " + seconds(s.getCpusThrottledTimeSecs()) : "",
                    s.hasMemTotalBytes() ? Bytes.human(s.getMemTotalBytes()) : "",
                    s.hasMemRssBytes() ? Bytes.human(s.getMemRssBytes()) : "",
                    s.hasMemLimitBytes() ? limit(s.getMemLimitBytes()) : "",
                    s.hasProcesses() ? Integer.toString(s.getProcesses()) : "");
        }
        table.print(unicon.out());
        return 0;
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.2fs", value);
    }

    /** cgroup v1 reports "no limit" as a huge page-aligned number. */
    private static String limit(long bytes) {
        return bytes >= Long.MAX_VALUE / 2 ? "none" : Bytes.human(bytes);
    }
}
