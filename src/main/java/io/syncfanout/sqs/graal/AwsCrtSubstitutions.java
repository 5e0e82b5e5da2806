package io.syncfanout.sqs.graal;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;

import software.amazon.awssdk.checksums.SdkChecksum;
import software.amazon.awssdk.checksums.spi.ChecksumAlgorithm;

/*
 * Native image only. The SDK's checksums module makes its CRC64NVME and xxHash checksums from the AWS Common
 * Runtime (aws-crt, native code) when it is on the classpath, and CRC32C too when the JDK has none; the function
 * leaves aws-crt out, as it does every HTTP client but HttpURLConnection. Quarkus links every class at build time,
 * so the methods that name CRT classes stop the image from building. Here they do what the SDK does on the JVM
 * without aws-crt: CRC32C comes from the JDK, and the CRT-only checksums say why they cannot run. SQS uses none of
 * them (the function sends ChangeMessageVisibility only).
 */
final class AwsCrtSubstitutions {
    private AwsCrtSubstitutions() {
    }
}

@TargetClass(className = "software.amazon.awssdk.checksums.internal.ChecksumProvider")
final class Target_software_amazon_awssdk_checksums_internal_ChecksumProvider {

    /** The SDK's answer when aws-crt is absent: none, so that crc32cImplementation takes the JDK's. */
    @Substitute
    static SdkChecksum createCrtCrc32C() {
        return null;
    }

    @Substitute
    static SdkChecksum crc64NvmeCrtImplementation() {
        throw new IllegalStateException("CRC64NVME needs the AWS Common Runtime (aws-crt), which this native image leaves out");
    }

    @Substitute
    @SuppressWarnings("unused")
    static SdkChecksum crtXxHash(ChecksumAlgorithm algorithm) {
        throw new IllegalStateException("xxHash checksums need the AWS Common Runtime (aws-crt), which this native image leaves out");
    }
}
