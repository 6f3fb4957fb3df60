import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Sums the JUnit XML reports of every module of the reactor, for bin/verify: Surefire's
 * target/surefire-reports/TEST-*.xml and bnd-testing's target/test-reports/**.xml. Prints one
 * line per module and the closing line "N passed, N failed, N skipped". Exits 1 when a test
 * failed or when a module that has tests ran none (bnd-testing succeeds with 0 tests found).
 *
 * Usage: java bin/lib/TestReports.java ROOT
 */
public class TestReports {

    record Counts(int tests, int failed, int skipped) {
        Counts plus(Counts other) {
            return new Counts(tests + other.tests, failed + other.failed, skipped + other.skipped);
        }

        int passed() {
            return tests - failed - skipped;
        }
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        List<Path> modules = new ArrayList<>();
        collectModules(root, modules);
        collectExamples(root, modules);

        Counts total = new Counts(0, 0, 0);
        List<String> problems = new ArrayList<>();
        System.out.println();
        System.out.printf("%-34s %7s %7s %7s %7s%n", "module", "tests", "passed", "failed", "skipped");
        for (Path module : modules) {
            String name = root.relativize(module).toString();
            boolean hasTests = hasTests(module);
            List<Path> reports = reports(module);
            if (!hasTests && reports.isEmpty()) {
                continue;
            }
            Counts counts = new Counts(0, 0, 0);
            for (Path report : reports) {
                counts = counts.plus(read(report));
            }
            total = total.plus(counts);
            String note = "";
            if (hasTests && counts.tests() == 0) {
                note = "  <- ran no test";
                problems.add(name + " has tests but ran none" + (reports.isEmpty() ? " (no report written)" : ""));
            } else if (counts.failed() > 0) {
                note = "  <- failures";
                problems.add(name + ": " + counts.failed() + " failed (see " + name + "/target/*-reports)");
            }
            System.out.printf("%-34s %7d %7d %7d %7d%s%n", name.isEmpty() ? "." : name, counts.tests(),
                    counts.passed(), counts.failed(), counts.skipped(), note);
        }
        System.out.println();
        for (String problem : problems) {
            System.out.println("FAILED: " + problem);
        }
        String closing = total.passed() + " passed, " + total.failed() + " failed";
        if (total.skipped() > 0) {
            closing += ", " + total.skipped() + " skipped";
        }
        System.out.println(closing);
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    /** The module itself and, recursively, the modules its pom lists. */
    static void collectModules(Path module, List<Path> into) throws Exception {
        into.add(module);
        Document pom = parse(module.resolve("pom.xml"));
        NodeList names = pom.getElementsByTagName("module");
        for (int i = 0; i < names.getLength(); i++) {
            Path child = module.resolve(names.item(i).getTextContent().strip()).normalize();
            if (Files.isRegularFile(child.resolve("pom.xml"))) {
                collectModules(child, into);
            }
        }
    }

    /**
     * The projects under examples/ (vendor examples, outside the reactor): itests/system's
     * VendorIsolatorEndToEndTest builds them as their vendors would, and their tests count too.
     */
    static void collectExamples(Path root, List<Path> into) throws IOException {
        Path examples = root.resolve("examples");
        if (!Files.isDirectory(examples)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(examples)) {
            dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).sorted().forEach(into::add);
        }
    }

    /** Unit tests in src/test, or in-framework tests run by bnd-testing-maven-plugin. */
    static boolean hasTests(Path module) throws IOException {
        Path tests = module.resolve("src/test");
        if (Files.isDirectory(tests)) {
            try (Stream<Path> files = Files.walk(tests)) {
                if (files.anyMatch(f -> f.toString().endsWith(".java"))) {
                    return true;
                }
            }
        }
        String pom = Files.readString(module.resolve("pom.xml"))
                .replaceAll("(?s)<pluginManagement>.*</pluginManagement>", "");
        return !pom.contains("<packaging>pom</packaging>") && pom.contains("bnd-testing-maven-plugin");
    }

    static List<Path> reports(Path module) throws IOException {
        List<Path> reports = new ArrayList<>();
        for (String dir : new String[] {"target/surefire-reports", "target/test-reports"}) {
            Path reportDir = module.resolve(dir);
            if (!Files.isDirectory(reportDir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(reportDir)) {
                files.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml")).sorted().forEach(reports::add);
            }
        }
        return reports;
    }

    static Counts read(Path report) throws Exception {
        Document document = parse(report);
        NodeList suites = document.getElementsByTagName("testsuite");
        Counts counts = new Counts(0, 0, 0);
        for (int i = 0; i < suites.getLength(); i++) {
            Element suite = (Element) suites.item(i);
            if (suite.getParentNode() instanceof Element parent && parent.getTagName().equals("testsuite")) {
                continue;
            }
            counts = counts.plus(new Counts(number(suite, "tests"),
                    number(suite, "failures") + number(suite, "errors"), number(suite, "skipped")));
        }
        return counts;
    }

    static int number(Element element, String attribute) {
        String value = element.getAttribute(attribute);
        return value.isEmpty() ? 0 : (int) Double.parseDouble(value);
    }

    static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }
}
