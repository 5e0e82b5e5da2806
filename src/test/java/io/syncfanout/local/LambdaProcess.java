package io.syncfanout.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;

/**
 * The packaged function running as Lambda runs it, {@code function.zip} unpacked as the task root:
 * the JVM build under AWS's runtime interface client (the managed Java runtime) with the handler
 * named as in the Lambda console; a native build ({@code provided.al2023}) as its own
 * {@code bootstrap}. Either polls the Runtime API it is given.
 */
public final class LambdaProcess implements AutoCloseable {

    /** The handler infra/ configures: Funqy's, with the request id in the log context. */
    public static final String HANDLER = "io.syncfanout.lambda.RequestIdStreamHandler::handleRequest";
    /**
     * The JDK the JVM build runs on: Temurin 25, as Lambda's {@code java25} runs it (infra/'s default), where
     * the native toolchain finds it too; {@code -Dlambda.java.home} (or {@code JAVA25_HOME}) names another,
     * a Java 21 to compare with {@code java21}.
     */
    static final String JAVA_HOME_PROPERTY = "lambda.java.home";
    private static final String TEMURIN_25 = "/usr/lib/jvm/temurin-25-jdk-amd64";
    /**
     * What infra/ sets in {@code JAVA_TOOL_OPTIONS} for the JVM build, ahead of the function's own: from
     * Java 24, jboss-threads (Quarkus's executor) resets a worker's thread locals only with
     * {@code java.lang} opened to it; without it executor threads failed with IllegalAccessError (seen on
     * Temurin 25 as Quarkus shut down).
     */
    public static final String INFRA_JAVA_OPTIONS = "--add-opens=java.base/java.lang=ALL-UNNAMED";

    /** Funqy's own handler, which works as well, without the request id. */
    static final String FUNQY_HANDLER = "io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest";

    private final Process process;
    private final long startedNanos = System.nanoTime();
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private final boolean isNative;

    private LambdaProcess(Process process, Path log, boolean isNative) {
        this.process = process;
        this.isNative = isNative;
        this.reader = new Thread(() -> pump(process.getInputStream(), log), "function-output");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    public static LambdaProcess start(Path functionZip, Path workDir, String runtimeApi, String handler, Map<String, String> environment)
            throws IOException {
        return start(functionZip, workDir, runtimeApi, handler, environment, null);
    }

    /**
     * @param size the memory size whose CPU share and memory the process is held to, as Lambda holds
     *        it; null for the whole machine (then {@code AWS_LAMBDA_FUNCTION_MEMORY_SIZE} says what would
     *        give as many vCPUs as the machine has)
     */
    public static LambdaProcess start(Path functionZip, Path workDir, String runtimeApi, String handler, Map<String, String> environment,
            LambdaSize size) throws IOException {
        // Absolute: the process starts in the task root, where a relative path would no longer lead.
        Path taskRoot = workDir.toAbsolutePath().resolve("task");
        unzip(functionZip, taskRoot);
        String runtimeClasspath = String.join(java.io.File.pathSeparator,
                jarOf(AWSLambda.class), jarOf(PojoSerializer.class), jarOf(Context.class), jarOf(runtimeClientDependency()));
        Path bootstrap = taskRoot.resolve("bootstrap");
        // On the whole machine, the memory size that would give the function as many vCPUs as it has.
        int memoryMb = size == null ? Runtime.getRuntime().availableProcessors() * LambdaSize.ONE_VCPU_MB : size.memoryMb();
        List<String> command = Files.exists(bootstrap)
                // A native build (provided.al2023): Lambda runs the zip's bootstrap, which polls the API itself.
                ? List.of(bootstrap.toString())
                : javaRuntime(runtimeClasspath, handler, memoryMb, environment.get("JAVA_TOOL_OPTIONS"));
        // Lambda keeps the modes the zip gives (0755 for both); this unzip does not.
        bootstrap.toFile().setExecutable(true);
        taskRoot.resolve("runner").toFile().setExecutable(true);
        ProcessBuilder builder = new ProcessBuilder(size == null ? command : size.wrap(command)).directory(taskRoot.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("_HANDLER", handler);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_LAMBDA_FUNCTION_NAME", "sync-fanout-local");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryMb));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/sync-fanout-local");
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local");
        env.putAll(environment);
        if (!Files.exists(bootstrap) && environment.containsKey("JAVA_TOOL_OPTIONS")) {
            // On the command line, after the runtime's defaults; one inherited (a profiler) stays.
            env.remove("JAVA_TOOL_OPTIONS");
        }
        return new LambdaProcess(builder.start(), workDir.resolve("function.log"), Files.exists(bootstrap));
    }

    /**
     * The managed Java runtime's command: its defaults for java17 to java25 without SnapStart (a heap of
     * 85% of the memory size, C1 only, serial GC: quick start over peak speed), then the function's own
     * {@code JAVA_TOOL_OPTIONS} as infra/ sets them ({@link #INFRA_JAVA_OPTIONS} first), which win, as AWS documents
     * (https://docs.aws.amazon.com/lambda/latest/dg/java-customization.html).
     */
    private static List<String> javaRuntime(String runtimeClasspath, String handler, int memoryMb, String functionOptions)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(javaHome().resolve("bin").resolve("java").toString(),
                "-XX:MaxHeapSize=" + memoryMb * 1024L * 85 / 100 + "k",
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        if (javaFeatureVersion() >= 24) {
            // The runtime client's own JNI library (not the function's): loaded quietly, as the runtime loads it.
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        String options = (INFRA_JAVA_OPTIONS + " " + (functionOptions == null ? "" : functionOptions)).trim();
        command.addAll(List.of(options.split("\\s+")));
        command.addAll(List.of("-cp", runtimeClasspath, AWSLambda.class.getName(), handler));
        return command;
    }

    /** The JDK the JVM build is run on ({@link #JAVA_HOME_PROPERTY}); refused when it is not there, not swapped silently. */
    public static Path javaHome() {
        String named = System.getProperty(JAVA_HOME_PROPERTY, System.getenv().getOrDefault("JAVA25_HOME", TEMURIN_25));
        Path home = Path.of(named);
        if (!Files.isExecutable(home.resolve("bin").resolve("java"))) {
            throw new IllegalStateException("no JDK at " + home + " to run the JVM build on as Lambda's java25 does: install Temurin 25 "
                    + "there, or name a JDK with -D" + JAVA_HOME_PROPERTY + "=… (or JAVA25_HOME)");
        }
        return home;
    }

    /** The feature version of that JDK, from its {@code release} file (25 for java25). */
    public static int javaFeatureVersion() throws IOException {
        for (String line : Files.readAllLines(javaHome().resolve("release"))) {
            if (line.startsWith("JAVA_VERSION=")) {
                String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                return Integer.parseInt(version.split("[.+-]")[0]);
            }
        }
        throw new IOException("no JAVA_VERSION in " + javaHome().resolve("release"));
    }

    /** Every line the function wrote so far (stdout and stderr, as CloudWatch would hold them). */
    public List<String> output() {
        return List.copyOf(output);
    }

    /** Whether this is the native build: {@code bootstrap}, not the JVM under the runtime client. */
    public boolean isNative() {
        return isNative;
    }

    /** When the process was started, after the zip was unpacked: where a cold start begins. */
    public long startedNanos() {
        return startedNanos;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        reader.join(2_000);
    }

    /** The last lines the function wrote, for a failure message. */
    public String tail() {
        List<String> lines = output();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private void pump(InputStream stream, Path log) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
                PrintWriter file = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.add(line);
                file.println(line);
            }
        } catch (IOException e) {
            output.add("(function output ended: " + e.getMessage() + ")");
        }
    }

    /** The client's one other dependency, from the AWS SDK's utils-lite. */
    private static Class<?> runtimeClientDependency() {
        try {
            return Class.forName("software.amazon.awssdk.utilslite.SdkInternalThreadLocal");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("software.amazon.awssdk:utils-lite is missing from the classpath", e);
        }
    }

    private static String jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void unzip(Path zip, Path target) throws IOException {
        if (Files.exists(target)) {
            try (var walk = Files.walk(target)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(target);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry outside the task root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // a later entry wins, as with unzip -o
                }
            }
        }
    }
}
