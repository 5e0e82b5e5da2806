package io.syncfanout.local;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

/**
 * The HTTP stack that ships is at least the patched one pom.xml pins (issue 24's security overrides): every
 * Netty, Vert.x and Jackson jar in the JVM build's {@code function.zip}, or among the jars the native image
 * was built from, is no older than {@code netty.version}, {@code vertx.version} and {@code jackson.version}.
 * Fails when an override stops taking, and tells when the platform BOM has caught up.
 */
class ShippedVersionsIT {

    /** Jar name prefixes of each family, and the pom.xml property that pins it. */
    private static final Map<String, String> FAMILIES = Map.of("io.netty.netty-", "netty.version", "io.vertx.vertx-", "vertx.version",
            "com.fasterxml.jackson.", "jackson.version");
    private static final Pattern JAR = Pattern.compile("(?:modified-)?(.+?)-(\\d+(?:\\.\\d+)+)(?:\\.Final)?\\.jar");

    @Test
    void everyShippedJarOfTheHttpStackIsAtLeastThePinnedVersion() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        List<String> jars = shippedJars();
        for (Map.Entry<String, String> family : FAMILIES.entrySet()) {
            String pinned = property(pom, family.getValue());
            // Two jars of these families keep lines of their own: jackson-annotations is versioned by its minor
            // alone since 2.20 ("2.21"), and netty-tcnative by 2.0.x (Vert.x brings it from 4.5.28 on).
            List<String> found = jars.stream().filter(j -> j.replaceFirst("^modified-", "").startsWith(family.getKey()))
                    .filter(j -> !j.startsWith("com.fasterxml.jackson.core.jackson-annotations-") && !j.startsWith("io.netty.netty-tcnative-"))
                    .toList();
            assertTrue(!found.isEmpty(), "no " + family.getKey() + "* jar shipped: " + jars);
            for (String jar : found) {
                Matcher m = JAR.matcher(jar);
                assertTrue(m.matches(), "cannot read the version of " + jar);
                assertTrue(compare(m.group(2), pinned) >= 0, jar + " ships, older than " + family.getValue() + " " + pinned + " in pom.xml");
            }
        }
    }

    /** The JVM zip's lib/, or (native) the jars the image was built from, by file name. */
    private static List<String> shippedJars() throws IOException {
        Path zip = Path.of("target/function.zip");
        assertTrue(Files.exists(zip), "no target/function.zip: this runs after package");
        List<String> jars = new ArrayList<>();
        try (ZipFile function = new ZipFile(zip.toFile())) {
            function.stream().map(e -> e.getName()).filter(n -> n.startsWith("lib/") && n.endsWith(".jar"))
                    .forEach(n -> jars.add(n.substring("lib/".length())));
            if (function.getEntry("bootstrap") == null) {
                return jars;
            }
        }
        try (Stream<Path> built = Files.list(Path.of("target"))) {
            Path lib = built.filter(p -> p.getFileName().toString().endsWith("-native-image-source-jar")).findFirst()
                    .map(p -> p.resolve("lib")).orElseThrow(() -> new AssertionError("a native zip, but no native-image-source-jar in target/"));
            try (Stream<Path> in = Files.list(lib)) {
                in.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).forEach(jars::add);
            }
        }
        return jars;
    }

    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">").matcher(pom);
        assertTrue(m.find(), "pom.xml names no " + name);
        return m.group(1).replace(".Final", "");
    }

    static int compare(String a, String b) {
        int[] x = Arrays.stream(a.split("\\.")).mapToInt(Integer::parseInt).toArray();
        int[] y = Arrays.stream(b.split("\\.")).mapToInt(Integer::parseInt).toArray();
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int d = Integer.compare(i < x.length ? x[i] : 0, i < y.length ? y[i] : 0);
            if (d != 0) {
                return d;
            }
        }
        return 0;
    }
}
