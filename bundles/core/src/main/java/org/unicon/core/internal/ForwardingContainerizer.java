package org.unicon.core.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.unicon.containerizer.Containerizer;
import org.unicon.containerizer.ContainerizerException;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerStatus;
import org.unicon.model.ContainerTermination;
import org.unicon.model.Image;
import org.unicon.model.ImageSummary;
import org.unicon.model.PluginInfo;
import org.unicon.model.Resource;
import org.unicon.model.ResourceStatistics;
import org.unicon.model.Value;
import org.unicon.model.agent.Call;
import org.unicon.model.agent.Response;
import org.unicon.store.PullProgress;

/** A Containerizer that hands every call to the {@link ContainerizerCore} set when activated. */
abstract class ForwardingContainerizer implements Containerizer {
    private volatile ContainerizerCore delegate;

    final void delegate(ContainerizerCore core) {
        delegate = core;
    }

    final ContainerizerCore delegate() {
        return delegate;
    }

    @Override
    public LaunchResult launch(Call.LaunchContainer request) throws ContainerizerException {
        return delegate.launch(request);
    }

    @Override
    public Optional<CompletionStage<ContainerTermination>> wait(ContainerID id) {
        return delegate.wait(id);
    }

    @Override
    public boolean kill(ContainerID id, int signal) throws ContainerizerException {
        return delegate.kill(id, signal);
    }

    @Override
    public Optional<CompletionStage<ContainerTermination>> destroy(ContainerID id) {
        return delegate.destroy(id);
    }

    @Override
    public void remove(ContainerID id) throws ContainerizerException {
        delegate.remove(id);
    }

    @Override
    public void update(ContainerID id, List<Resource> resources, Map<String, Value.Scalar> limits)
            throws ContainerizerException {
        delegate.update(id, resources, limits);
    }

    @Override
    public ResourceStatistics usage(ContainerID id) throws ContainerizerException {
        return delegate.usage(id);
    }

    @Override
    public ContainerStatus status(ContainerID id) throws ContainerizerException {
        return delegate.status(id);
    }

    @Override
    public List<Response.GetContainers.Container> containers() {
        return delegate.containers();
    }

    @Override
    public Optional<Path> sandbox(ContainerID id) {
        return delegate.sandbox(id);
    }

    @Override
    public ImageSummary pull(Image image, PullProgress progress) throws ContainerizerException {
        return delegate.pull(image, progress);
    }

    @Override
    public List<ImageSummary> images() throws ContainerizerException {
        return delegate.images();
    }

    @Override
    public void prune(List<Image> excluded) throws ContainerizerException {
        delegate.prune(excluded);
    }

    @Override
    public List<PluginInfo> plugins() {
        return delegate.plugins();
    }
}
