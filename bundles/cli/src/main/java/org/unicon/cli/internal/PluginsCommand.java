package org.unicon.cli.internal;

import java.util.Locale;
import java.util.concurrent.Callable;

import org.unicon.model.PluginInfo;
import org.unicon.model.agent.Call;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code plugins}: the agent's plugin services (GET_PLUGINS). */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        header = "List plugins: isolators, launchers, image stores, provisioner backends.",
        description = {"Lists every plugin service registered in the agent, and every configured plugin that "
                    + "is missing or unusable, with its bundle and the reason."})
final class PluginsCommand implements Callable<Integer> {

    @ParentCommand
    UniconCli unicon;

    @Mixin
    AgentOption agent;

    @Override
    public Integer call() {
        Call call = Call.newBuilder().setType(Call.Type.GET_PLUGINS).build();
        Table table = new Table("KIND", "NAME", "STATUS", "BUNDLE", "REQUIRES", "PROBLEM");
        for (PluginInfo p : unicon.client(agent).call(call).response().getGetPlugins().getPluginsList()) {
            String bundle = p.getBundle() + (p.hasBundleVersion() ? " " + p.getBundleVersion() : "");
            table.row(words(p.getKind().name()), p.getName(), words(p.getStatus().name()),
                    bundle, String.join(",", p.getRequiresList()), p.getProblem());
        }
        table.print(unicon.out());
        return 0;
    }

    /** IMAGE_STORE → "image store". */
    static String words(String enumName) {
        return enumName.toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
