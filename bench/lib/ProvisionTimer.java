import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.unicon.provisioner.ProvisionerBackend;

/**
 * Times Unicon's provisioner backends per container, in process, as the agent calls them:
 * {@code provision(layers, rootfs)} into a fresh empty directory, then {@code destroy(rootfs)}.
 * Run by bench/scenarios/provision.sh with the agent's bundles on the class path:
 *
 * <pre>
 * java -cp 'runtime/target/export/unicon/*' bench/lib/ProvisionTimer.java JOBS
 * </pre>
 *
 * JOBS is a file with one measurement a line, fields separated by tabs: the backend
 * ({@code overlay} or {@code copy}), warm-up runs, runs, the provision JSON file to write, the
 * destroy JSON file to write, a work directory (created, emptied again), and the layers
 * (directories of the agent's Docker store, overlay form, base first) separated by ':'. The JSON
 * files have hyperfine's shape (results[0]: times, median, min, max, in seconds), so the bench's
 * table helpers read them as they read hyperfine's. The backends are the bundles' own classes
 * (package-private, built by their components in the agent), constructed here by reflection
 * with their default constructors. One JVM runs every job: its start is in no time.
 */
public final class ProvisionTimer {

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ProvisionTimer JOBS (lines: backend, warm-ups, runs, provision.json, destroy.json,"
                    + " work dir, layer:layer:..., separated by tabs)");
            System.exit(2);
        }
        Logger.getLogger("").setLevel(Level.WARNING); // the backends log one INFO line per call
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            List<Path> layers = new ArrayList<>();
            for (String layer : f[6].split(":")) {
                layers.add(Path.of(layer));
            }
            run(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Path.of(f[3]), Path.of(f[4]), Path.of(f[5]), layers);
        }
    }

    private static void run(String name, int warmup, int runs, Path provisionJson, Path destroyJson, Path work,
            List<Path> layers) throws Exception {
        ProvisionerBackend backend = backend(name);
        List<Double> provision = new ArrayList<>();
        List<Double> destroy = new ArrayList<>();
        for (int i = 0; i < warmup + runs; i++) {
            Path container = Files.createDirectories(work.resolve("c" + i));
            Path rootfs = Files.createDirectory(container.resolve("rootfs"));
            long t0 = System.nanoTime();
            backend.provision(layers, rootfs);
            long t1 = System.nanoTime();
            try (var entries = Files.list(rootfs)) {
                if (entries.findAny().isEmpty()) {
                    throw new IOException("the " + name + " backend left the rootfs " + rootfs + " empty");
                }
            }
            backend.destroy(rootfs);
            long t2 = System.nanoTime();
            if (Files.exists(rootfs)) {
                throw new IOException("the " + name + " backend left " + rootfs + " after destroy");
            }
            Files.delete(container);
            if (i >= warmup) {
                provision.add((t1 - t0) / 1e9);
                destroy.add((t2 - t1) / 1e9);
            }
        }
        Files.delete(work);
        Files.writeString(provisionJson, json(provision));
        Files.writeString(destroyJson, json(destroy));
    }

    private static ProvisionerBackend backend(String name) throws ReflectiveOperationException {
        String type = switch (name) {
            case "overlay" -> "org.unicon.backend.overlay.internal.OverlayBackend";
            case "copy" -> "org.unicon.backend.copy.internal.CopyBackend";
            default -> throw new IllegalArgumentException("backend '" + name + "' is not overlay or copy");
        };
        Constructor<?> constructor = Class.forName(type).getDeclaredConstructor();
        constructor.setAccessible(true);
        return (ProvisionerBackend) constructor.newInstance();
    }

    private static String json(List<Double> times) {
        List<Double> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        StringBuilder list = new StringBuilder();
        for (double t : times) {
            list.append(list.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6f", t));
        }
        return String.format(Locale.ROOT, "{\"results\":[{\"times\":[%s],\"median\":%.6f,\"min\":%.6f,\"max\":%.6f}]}%n",
                list, median, sorted.get(0), sorted.get(n - 1));
    }
}
