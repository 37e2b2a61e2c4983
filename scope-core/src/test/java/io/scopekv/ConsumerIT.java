package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compiles the consumer program in {@code src/it/consumer} against the packaged scope-core jar and
 * runs it in a new JVM of the running JDK, once on the class path and once on the module path
 * (the consumer a module that {@code requires io.scopekv}), with nd4j-native as the backend.
 *
 * <p>ND4J 1.0.0-M2.1 cannot be an explicit module: the JVM rejects nd4j-api's descriptor (it
 * exports a package the jar lacks, and requires modules such as {@code lombok} and
 * {@code slf4j.api} that no runtime jar provides). The module path run therefore does what
 * README.md tells an application to do: a copy of nd4j-api without its descriptor (the automatic
 * module {@code nd4j.api}) beside scope-core and slf4j-api on the module path, the other ND4J jars
 * on the class path, and {@code jdk.unsupported} added for JavaCPP.
 */
class ConsumerIT {
    private static final String ND4J_API_DESCRIPTOR = "META-INF/versions/9/module-info.class";
    private static final String MAIN = "example.consumer.Consumer";

    private static Path scopeCore;
    private static List<Path> dependencies;
    private static Path sources;
    private static Path work;

    @BeforeAll
    static void locate() throws IOException {
        scopeCore = Path.of(property("consumer.jar"));
        sources = Path.of(property("consumer.sources"));
        work = Path.of(property("consumer.work"));
        String classpath = Files.readString(Path.of(property("consumer.classpath"))).strip();
        dependencies = Arrays.stream(classpath.split(java.io.File.pathSeparator)).map(Path::of).toList();
        assertThat(scopeCore).as("the packaged scope-core jar").isRegularFile();
        assertThat(dependencies).as("scope-core's dependencies").anyMatch(ConsumerIT::isNd4jApi);
    }

    @Test
    void runsOnTheClassPath() throws Exception {
        Path classes = Files.createDirectories(work.resolve("classpath-classes"));
        List<String> classpath = new ArrayList<>(List.of(scopeCore.toString()));
        dependencies.forEach(jar -> classpath.add(jar.toString()));
        javac("-d", classes.toString(), "-cp", String.join(java.io.File.pathSeparator, classpath),
                sources.resolve("example/consumer/package-info.java").toString(),
                sources.resolve("example/consumer/Consumer.java").toString());
        classpath.add(0, classes.toString());

        Run run = java("classpath.log", "-cp", String.join(java.io.File.pathSeparator, classpath), MAIN);

        assertThat(run.exitCode()).as("exit code, output:%n%s", run.output()).isZero();
        assertThat(run.output()).contains("consumer ok: module null")
                .contains("jdk.incubator.vector not enabled: using the scalar attention kernel");
    }

    @Test
    void runsOnTheModulePath() throws Exception {
        Path modules = Files.createDirectories(work.resolve("modules"));
        Path nd4jApi = dependencies.stream().filter(ConsumerIT::isNd4jApi).findFirst().orElseThrow();
        Path automaticNd4jApi = withoutDescriptor(nd4jApi, modules.resolve(nd4jApi.getFileName()));
        Path slf4jApi = dependencies.stream().filter(jar -> jar.getFileName().toString().startsWith("slf4j-api-"))
                .findFirst().orElseThrow();
        List<String> modulePath = List.of(scopeCore.toString(), automaticNd4jApi.toString(), slf4jApi.toString());
        String classpath = dependencies.stream().filter(jar -> !jar.equals(nd4jApi) && !jar.equals(slf4jApi))
                .map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
        Path classes = Files.createDirectories(work.resolve("module-classes"));
        try (Stream<Path> files = Files.walk(sources)) {
            List<String> javacArgs = new ArrayList<>(List.of("-d", classes.toString(),
                    "--module-path", String.join(java.io.File.pathSeparator, modulePath)));
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> javacArgs.add(f.toString()));
            javac(javacArgs.toArray(String[]::new));
        }

        Run run = java("modulepath.log", "--add-modules", "jdk.incubator.vector,jdk.unsupported",
                "--module-path", classes + java.io.File.pathSeparator + String.join(java.io.File.pathSeparator, modulePath),
                "-cp", classpath, "-m", "example.consumer/" + MAIN);

        assertThat(run.exitCode()).as("exit code, output:%n%s", run.output()).isZero();
        // scope-core ran as the named module, and found the Vector API from inside it
        assertThat(run.output()).contains("consumer ok: module io.scopekv").contains("attention kernel: Vector API");
    }

    private static boolean isNd4jApi(Path jar) {
        return jar.getFileName().toString().startsWith("nd4j-api-");
    }

    /** A copy of {@code jar} without ND4J's module descriptor: the JVM names it from the file name. */
    private static Path withoutDescriptor(Path jar, Path copy) throws IOException {
        boolean dropped = false;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().equals(ND4J_API_DESCRIPTOR)) {
                    dropped = true;
                    continue;
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
        }
        assertThat(dropped).as("%s holds %s", jar, ND4J_API_DESCRIPTOR).isTrue();
        return copy;
    }

    private static void javac(String... args) {
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow(
                () -> new IllegalStateException("the consumer build needs a JDK (no javac in " + System.getProperty("java.home") + ")"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
        int exit = javac.run(print, print, args);
        assertThat(exit).as("javac %s%n%s", String.join(" ", args), log.toString(StandardCharsets.UTF_8)).isZero();
    }

    /** Runs the running JDK's java launcher; stdout and stderr merged into {@code work/<log>}. */
    private static Run java(String log, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dorg.slf4j.simpleLogger.log.io.scopekv=debug");
        command.addAll(List.of(args));
        Path output = work.resolve(log);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("the consumer did not finish in 5 minutes: " + command);
        }
        return new Run(process.exitValue(), Files.readString(output));
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set; run through mvn verify");
        }
        return value;
    }

    private record Run(int exitCode, String output) {
    }
}
