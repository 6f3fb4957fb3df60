package org.unicon.itests.paxexam;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.unicon.itests.paxexam.AgentInFramework.await;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.cm.ConfigurationAdmin;
import org.unicon.containerizer.ContainerizerException;
import org.unicon.model.ContainerState;
import org.unicon.model.PluginInfo;

/**
 * Edits of unicon.agent through Config Admin while containers run: a good one applies to the
 * next launch; a bad one is refused with a message naming the key (SCR logs what the core's
 * {@code @Modified} method throws) and the previous configuration stays in force.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class LiveConfigurationTest {
    private static final Map<String, Object> SETTINGS = Map.of("isolation", VersionedIsolatorJars.ISOLATOR,
            "plugin_wait_seconds", 2L);

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    private IsolatorBundles bundles;
    private Bundle isolator;
    private AgentInFramework agent;
    private FrameworkLog log;

    @Configuration
    public Option[] configuration() throws Exception {
        return RuntimeOptions.agentRuntime();
    }

    @Before
    public void startAgent() throws Exception {
        log = new FrameworkLog(context);
        bundles = new IsolatorBundles(context);
        isolator = bundles.install("1.0.0");
        agent = new AgentInFramework(context, configurationAdmin, SETTINGS);
        awaitIsolator(PluginInfo.Status.IN_USE);
    }

    @After
    public void stopAgent() throws Exception {
        try {
            agent.close();
        } finally {
            log.close();
            if (isolator.getState() != Bundle.UNINSTALLED) {
                bundles.uninstall(isolator);
            }
        }
    }

    @Test
    public void aGoodEditAppliesToTheNextLaunch() throws Exception {
        agent.launchSleeper("c1");
        Map<Long, Long> processes = agent.processes("c1");
        assertTrue(agent.journal("c1").toString(), agent.journal("c1").contains("1.0.0 prepare c1 format A"));

        agent.configure(with("isolation", ""));
        awaitIsolator(PluginInfo.Status.AVAILABLE);
        agent.launchSleeper("c2");
        assertEquals("test/versioned is no longer used", List.of(), agent.journal("c2"));

        agent.configure(SETTINGS);
        awaitIsolator(PluginInfo.Status.IN_USE);
        agent.launchSleeper("c3");
        assertTrue(agent.journal("c3").toString(), agent.journal("c3").contains("1.0.0 prepare c3 format A"));

        assertEquals(ContainerState.RUNNING, agent.state("c1"));
        assertEquals("the edits did not restart c1", processes, agent.processes("c1"));
    }

    @Test
    public void twoFilesystemIsolatorsAreRefusedAndThePreviousIsolationStays() throws Exception {
        Object containerizerId = agent.containerizerReference().getProperty(Constants.SERVICE_ID);
        agent.configure(with("isolation", "filesystem/posix,filesystem/linux," + VersionedIsolatorJars.ISOLATOR));
        String refusal = awaitRefusal("isolation names filesystem/posix and filesystem/linux");
        assertTrue(refusal, refusal.contains("unicon.agent: isolation names filesystem/posix and filesystem/linux;"
                + " a container has exactly one filesystem isolator"));

        assertEquals(PluginInfo.Status.IN_USE, isolatorStatus());
        agent.launchSleeper("c1");
        assertTrue(agent.journal("c1").toString(), agent.journal("c1").contains("1.0.0 prepare c1 format A"));
        assertTrue("filesystem/linux was not taken into use", agent.containerizer().plugins().stream()
                .noneMatch(p -> p.getName().equals("filesystem/linux") && p.getStatus() == PluginInfo.Status.IN_USE));
        assertEquals("the containerizer was not restarted", containerizerId,
                agent.containerizerReference().getProperty(Constants.SERVICE_ID));
    }

    @Test
    public void aNegativePluginWaitIsRefusedAndThePreviousWaitStays() throws Exception {
        agent.configure(with("plugin_wait_seconds", -1L));
        String refusal = awaitRefusal("plugin_wait_seconds is -1");
        assertTrue(refusal, refusal.contains("unicon.agent: plugin_wait_seconds is -1; it must be 0 or more"));

        bundles.uninstall(isolator);
        awaitIsolator(PluginInfo.Status.MISSING);
        ContainerizerException refused = assertThrows(ContainerizerException.class,
                () -> agent.containerizer().launch(AgentInFramework.launch("u1", "true")));
        assertTrue("a launch still waits the previous 2 s: " + refused.getMessage(),
                refused.getMessage().contains("(waited 2 s for isolator 'test/versioned' to register)"));
    }

    private Map<String, Object> with(String key, Object value) {
        Map<String, Object> settings = new HashMap<>(SETTINGS);
        settings.put(key, value);
        return settings;
    }

    /** The line SCR logged for the refused configuration, once it has. */
    private String awaitRefusal(String text) throws InterruptedException {
        await("SCR logs the refusal '" + text + "'", () -> !log.containing(text).isEmpty());
        List<String> lines = log.containing(text);
        assertEquals(lines.toString(), 1, lines.size());
        assertFalse(lines.get(0), lines.get(0).isBlank());
        return lines.get(0);
    }

    private PluginInfo.Status isolatorStatus() {
        return agent.containerizer().plugins().stream().filter(p -> p.getName().equals(VersionedIsolatorJars.ISOLATOR))
                .findFirst().orElseThrow().getStatus();
    }

    private void awaitIsolator(PluginInfo.Status status) throws InterruptedException {
        await("test/versioned is " + status, () -> isolatorStatus() == status);
    }
}
