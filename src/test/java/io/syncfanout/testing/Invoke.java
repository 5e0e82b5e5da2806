package io.syncfanout.testing;

import static io.restassured.RestAssured.given;

import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** Posts an SQS event to the Lambda mock event server, as Lambda would deliver it. */
public final class Invoke {

    private Invoke() {
    }

    /**
     * The mock event server, wherever it listens: its port is free-chosen, and a
     * {@code @QuarkusIntegrationTest} does not hand it to RestAssured.
     */
    public static RequestSpecification mockEventServer() {
        int port = ConfigProvider.getConfig().getValue("quarkus.lambda.mock-event-server.test-port", Integer.class);
        return given().baseUri("http://localhost").port(port);
    }

    public static JsonPath lambda(SqsEvents event) {
        return mockEventServer().contentType("application/json").accept("application/json").body(event.json())
                .when().post()
                .then().statusCode(200)
                .extract().jsonPath();
    }

    /** The SQS messageIds the function asked SQS to deliver again. */
    public static List<String> failedIds(SqsEvents event) {
        return lambda(event).getList("batchItemFailures.itemIdentifier", String.class);
    }
}
