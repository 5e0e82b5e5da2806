package io.syncfanout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

/**
 * What {@code function.zip} ships is the function and what it runs on, nothing of the test-side tools:
 * no ElasticMQ (nor its Pekko and Scala), no event source mapping, subscriber, stand-ins or runtime
 * client, and of the AWS SDK only the SQS client the function calls, over HttpURLConnection (no Netty,
 * Apache or CRT HTTP client of its own). Read from the JVM zip, or for the native build from the jars
 * its image was built from.
 */
class FunctionZipContentsIT {

    /** Jar name fragments of what only tests, dev mode and benchmarks use. */
    private static final List<String> TEST_SIDE_JARS = List.of("elasticmq", "pekko", "scala-library", "spray-json", "wiremock",
            "quicktheories", "pubnub-gson", "aws-lambda-java-runtime-interface-client", "awssdk.netty-nio-client",
            "awssdk.apache-client", "awssdk.apache5-client", "awssdk.aws-crt-client", "httpclient5", "junit", "rest-assured");
    /** The project's own test-side rooms. */
    private static final List<String> TEST_SIDE_PACKAGES = List.of("io/syncfanout/queue/", "io/syncfanout/subscriber/",
            "io/syncfanout/testing/", "io/syncfanout/local/", "io/syncfanout/bench/", "io/syncfanout/capacity/");

    @Test
    void theZipHoldsNothingOfTheLocalQueueTheMappingOrTheSdksOtherHttpClients() throws IOException {
        List<String> jars = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        read(jars, classes);

        List<String> testSide = jars.stream().filter(jar -> TEST_SIDE_JARS.stream().anyMatch(jar::contains)).toList();
        assertEquals(List.of(), testSide, "test-side jars in what ships");
        List<String> testClasses = classes.stream().filter(c -> TEST_SIDE_PACKAGES.stream().anyMatch(c::startsWith)).toList();
        assertEquals(List.of(), testClasses, "test-side classes in what ships");
        assertTrue(classes.stream().anyMatch(c -> c.startsWith("io/syncfanout/sqs/")), "the function's own classes ship: " + classes.size());
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("software.amazon.awssdk.sqs-"))
                && jars.stream().anyMatch(j -> j.startsWith("software.amazon.awssdk.url-connection-client-")),
                "the SDK's SQS client ships, for ChangeMessageVisibility, with its HttpURLConnection client: " + jars);
    }

    /** The JVM zip's lib/ and classes; for a native zip, the jars and the application jar the image was built from. */
    private static void read(List<String> jars, List<String> classes) throws IOException {
        Path zip = Path.of("target/function.zip");
        assertTrue(Files.exists(zip), "no target/function.zip: this runs after package");
        boolean isNative;
        try (ZipFile function = new ZipFile(zip.toFile())) {
            isNative = function.getEntry("bootstrap") != null;
            function.stream().map(e -> e.getName()).forEach(name -> {
                if (name.startsWith("lib/") && name.endsWith(".jar")) {
                    jars.add(name.substring("lib/".length()));
                } else if (name.endsWith(".class")) {
                    classes.add(name);
                }
            });
        }
        if (!isNative) {
            return;
        }
        try (Stream<Path> built = Files.list(Path.of("target"))) {
            Path source = built.filter(p -> p.getFileName().toString().endsWith("-native-image-source-jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("a native zip, but no native-image-source-jar in target/"));
            try (Stream<Path> in = Files.list(source.resolve("lib"))) {
                in.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).forEach(jars::add);
            }
            try (Stream<Path> runners = Files.list(source)) {
                for (Path runner : runners.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).toList()) {
                    try (JarFile app = new JarFile(runner.toFile())) {
                        app.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).forEach(classes::add);
                    }
                }
            }
        }
    }
}
