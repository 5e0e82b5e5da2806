package io.syncfanout.pubnub.graal;

import com.oracle.svm.core.annotate.Alias;
import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.CipherSuiteFilter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextOption;
import io.netty.handler.ssl.SslProvider;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/*
 * Native image only. Netty 4.1.136 added an overload of SslContext.newClientContextInternal with a startTls
 * flag, and SslContextBuilder.build() calls it. Quarkus 3.32.4 substitutes only the older overload, to the JDK
 * branch alone (the image carries no OpenSSL); unsubstituted, the new one links netty-tcnative's classes and the
 * image does not build. This gives the new overload the same JDK-only body, as Quarkus's does for the old one;
 * Netty's JDK branch never reads startTls. Delete this file with the Netty override in pom.xml, once the Quarkus
 * platform brings Netty 4.1.136 or newer (its own substitutions then cover the overload).
 */
final class NettyStartTlsSubstitutions {
    private NettyStartTlsSubstitutions() {
    }
}

@TargetClass(SslContext.class)
final class Target_io_netty_handler_ssl_SslContext_StartTls {

    @Substitute
    @SuppressWarnings("unused")
    static SslContext newClientContextInternal(
            SslProvider provider, Provider sslContextProvider,
            X509Certificate[] trustCert, TrustManagerFactory trustManagerFactory,
            X509Certificate[] keyCertChain, PrivateKey key, String keyPassword, KeyManagerFactory keyManagerFactory,
            Iterable<String> ciphers, CipherSuiteFilter cipherFilter, ApplicationProtocolConfig apn, String[] protocols,
            long sessionCacheSize, long sessionTimeout, boolean startTls, boolean enableOcsp,
            SecureRandom secureRandom, String keyStoreType, String endpointIdentificationAlgorithm,
            Map.Entry<SslContextOption<?>, Object>... options) throws SSLException {
        if (enableOcsp) {
            throw new IllegalArgumentException("OCSP is not supported with this SslProvider: " + provider);
        }
        return (SslContext) (Object) new Target_io_netty_handler_ssl_JdkSslClientContext_StartTls(sslContextProvider,
                trustCert, trustManagerFactory, keyCertChain, key, keyPassword, keyManagerFactory, ciphers,
                cipherFilter, apn, protocols, sessionCacheSize, sessionTimeout, secureRandom, keyStoreType,
                endpointIdentificationAlgorithm, new Target_io_netty_handler_ssl_ResumptionController_StartTls());
    }
}

@TargetClass(className = "io.netty.handler.ssl.JdkSslClientContext")
final class Target_io_netty_handler_ssl_JdkSslClientContext_StartTls {

    @Alias
    Target_io_netty_handler_ssl_JdkSslClientContext_StartTls(Provider sslContextProvider,
            X509Certificate[] trustCertCollection, TrustManagerFactory trustManagerFactory,
            X509Certificate[] keyCertChain, PrivateKey key, String keyPassword, KeyManagerFactory keyManagerFactory,
            Iterable<String> ciphers, CipherSuiteFilter cipherFilter, ApplicationProtocolConfig apn, String[] protocols,
            long sessionCacheSize, long sessionTimeout, SecureRandom secureRandom, String keyStoreType,
            String endpointIdentificationAlgorithm,
            Target_io_netty_handler_ssl_ResumptionController_StartTls resumptionController) throws SSLException {
    }
}

@TargetClass(className = "io.netty.handler.ssl.ResumptionController")
final class Target_io_netty_handler_ssl_ResumptionController_StartTls {

    @Alias
    Target_io_netty_handler_ssl_ResumptionController_StartTls() {
    }
}
