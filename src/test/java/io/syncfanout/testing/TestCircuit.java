package io.syncfanout.testing;

import io.quarkus.arc.Arc;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/** Closes the publish circuit between tests, so one test's outage does not fail the next. */
public final class TestCircuit {

    private TestCircuit() {
    }

    public static void reset() {
        // A @QuarkusIntegrationTest runs the function in its own process: there is no circuit to
        // reach from the test, and the happy-path suites it runs never open one.
        if (Arc.container() != null) {
            CircuitBreakerMaintenance.get().resetAll();
        }
    }
}
