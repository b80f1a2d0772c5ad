package io.xscore.scoring.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.xscore.scoring.reference.ReferenceData;
import io.xscore.scoring.xscore.AccuracyTable;
import io.xscore.scoring.xscore.ModelXScore;
import io.xscore.scoring.xscore.VarianceDivisor;
import io.xscore.scoring.xscore.XScoreCalculator;
import io.xscore.scoring.xscore.XScoreTable;
import io.xscore.testsupport.KafkaBrokerTestResource;
import io.xscore.testsupport.MongoServerTestResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The stateless {@code POST /api/v1/xscore}: answers compared with the calculator; every bad input names its cell. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerTestResource.class, restrictToAnnotatedClass = false)
class XScoreEndpointTest {

    static String referenceBody(double lambda, String extra) {
        AccuracyTable t = ReferenceData.paper().table();
        StringBuilder sb = new StringBuilder("{\"lambda\":" + lambda + ",\"anchors\":\"reference\"" + extra
                + ",\"accuracies\":{");
        List<String> models = t.models();
        for (int i = 0; i < models.size(); i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(models.get(i)).append("\":{");
            for (int j = 0; j < t.datasets().size(); j++) {
                sb.append(j == 0 ? "" : ",").append('"').append(t.datasets().get(j)).append("\":")
                        .append(t.get(models.get(i), t.datasets().get(j)));
            }
            sb.append('}');
        }
        return sb.append("}}").toString();
    }

    static JsonPath post(String body, int status) {
        String answer = given().contentType("application/json").body(body).post("/api/v1/xscore").then()
                .statusCode(status).extract().asString();
        return JsonPath.from(answer).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    @ParameterizedTest
    @CsvSource({"0.5, sample", "0, sample", "2, sample", "0.75, population"})
    void referenceTableOnReferenceAnchorsMatchesTheCalculatorAndFindsThePapersProxy(double lambda, String divisor) {
        JsonPath json = post(referenceBody(lambda, ",\"varianceDivisor\":\"" + divisor + "\""), 200);
        XScoreTable expected = new XScoreCalculator(lambda, VarianceDivisor.parse(divisor))
                .scoreRecomputed(ReferenceData.paper().table());
        List<Map<String, Object>> models = json.getList("models");
        assertEquals(11, models.size());
        for (int i = 0; i < models.size(); i++) {
            Map<String, Object> m = models.get(i);
            ModelXScore e = expected.model((String) m.get("model")).orElseThrow();
            assertEquals(e.xscore(), ((Number) m.get("xscore")).doubleValue(), 1e-12);
            assertEquals(e.g(), ((Number) m.get("g")).doubleValue(), 1e-12);
            assertEquals(e.v(), ((Number) m.get("v")).doubleValue(), 1e-12);
            assertEquals(e.rank(), m.get("rank"));
            assertEquals(i + 1, m.get("rank"), "ranked order");
        }
        assertEquals("reference", json.getString("scale"));
        if (lambda == 0.5 && divisor.equals("sample")) {
            assertEquals("efficientnet", json.getString("models[0].model"));
            assertEquals(List.of("cifar10", "ham10000", "stanford_dogs", "mit_indoor67"),
                    json.getList("proxy.datasets"));
            assertEquals(0.990449, json.getDouble("proxy.r2"), 1e-6);
            assertEquals(4, json.getMap("proxy.coefficients").size());
        }
    }

    @Test
    void recomputedAnchorsOnASmallTable() {
        JsonPath json = post("{\"anchors\":\"recompute\",\"accuracies\":{"
                + "\"a\":{\"cifar10\":90,\"fashion-mnist\":80},\"b\":{\"cifar10\":70,\"fashion-mnist\":90},"
                + "\"c\":{\"cifar10\":80,\"fashion-mnist\":85}}}", 200);
        XScoreTable expected = XScoreCalculator.defaults().scoreRecomputed(AccuracyTable.builder(
                List.of("cifar10", "fashion-mnist")).row("a", 90, 80).row("b", 70, 90).row("c", 80, 85).build());
        for (String m : List.of("a", "b", "c")) {
            Map<String, Object> got = json.getList("models", Map.class).stream()
                    .filter(x -> m.equals(x.get("model"))).findFirst().orElseThrow();
            assertEquals(expected.model(m).orElseThrow().xscore(), ((Number) got.get("xscore")).doubleValue(), 1e-12);
        }
        // a: Â (1, 0) → G 0.5, V 0.5 → 0.25; c: Â (0.5, 0.5) → 0.5 (rank 1)
        assertEquals("c", json.getString("models[0].model"));
        assertEquals(0.5, json.getDouble("models[0].xscore"), 1e-12);
        assertEquals("recomputed", json.getString("scale"));
        assertFalse(json.getMap("$").containsKey("proxy"), "3 models cannot fit a proxy");
        given().contentType("application/json").body("{\"anchors\":\"recompute\",\"accuracies\":{"
                        + "\"a\":{\"cifar10\":90},\"b\":{\"cifar10\":70}}}").post("/api/v1/xscore").then()
                .statusCode(200).body("proxyNote", containsString("too few models"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            above 100                  | {"anchors":"recompute","accuracies":{"a":{"cifar10":101},"b":{"cifar10":50}}}                 | accuracies.a.cifar10
            negative                   | {"anchors":"recompute","accuracies":{"a":{"cifar10":50},"b":{"cifar10":-0.5}}}                | accuracies.b.cifar10
            NaN token                  | {"anchors":"recompute","accuracies":{"a":{"cifar10":NaN},"b":{"cifar10":50}}}                 | accuracies.a.cifar10
            Infinity token             | {"anchors":"recompute","accuracies":{"a":{"cifar10":50},"b":{"cifar10":Infinity}}}            | accuracies.b.cifar10
            string number              | {"anchors":"recompute","accuracies":{"a":{"cifar10":"85"},"b":{"cifar10":50}}}                | accuracies.a.cifar10
            null accuracy              | {"anchors":"recompute","accuracies":{"a":{"cifar10":null},"b":{"cifar10":50}}}                | accuracies.a.cifar10
            missing vs others          | {"anchors":"recompute","accuracies":{"a":{"cifar10":60,"ham10000":70},"b":{"cifar10":50}}}    | accuracies.b.ham10000
            unknown dataset            | {"anchors":"recompute","accuracies":{"a":{"imagenet":60},"b":{"imagenet":50}}}                | accuracies.a.imagenet
            duplicate model            | {"anchors":"recompute","accuracies":{"a":{"cifar10":60},"a":{"cifar10":50}}}                  | accuracies.a
            duplicate dataset          | {"anchors":"recompute","accuracies":{"a":{"cifar10":60,"cifar10":61},"b":{"cifar10":50}}}     | accuracies.a.cifar10
            one model                  | {"anchors":"recompute","accuracies":{"a":{"cifar10":60}}}                                     | accuracies
            zero range                 | {"anchors":"recompute","accuracies":{"a":{"cifar10":60,"ham10000":7},"b":{"cifar10":60,"ham10000":8}}} | accuracies.*.cifar10
            negative lambda            | {"lambda":-0.1,"anchors":"recompute","accuracies":{"a":{"cifar10":60},"b":{"cifar10":50}}}    | lambda
            NaN lambda                 | {"lambda":NaN,"anchors":"recompute","accuracies":{"a":{"cifar10":60},"b":{"cifar10":50}}}     | lambda
            string lambda              | {"lambda":"0.5","anchors":"recompute","accuracies":{"a":{"cifar10":60},"b":{"cifar10":50}}}   | lambda
            bad anchors                | {"anchors":"fixed","accuracies":{"a":{"cifar10":60},"b":{"cifar10":50}}}                      | anchors
            missing one of 7           | {"anchors":"reference","accuracies":{"a":{"cifar10":60}}}                                     | accuracies.a.imagenette
            no reference anchors       | {"anchors":"reference","accuracies":{"a":{"fashion-mnist":60}}}                               | accuracies.a.fashion-mnist
            empty accuracies           | {"anchors":"recompute","accuracies":{}}                                                       | accuracies
            unknown field              | {"anchors":"recompute","lamda":1,"accuracies":{"a":{"cifar10":60},"b":{"cifar10":50}}}        | lamda
            bad k                      | {"anchors":"recompute","k":3,"accuracies":{"a":{"cifar10":60},"b":{"cifar10":50}}}            | k
            malformed                  | {"anchors":"recompute",                                                                       | body
            """)
    void badInputIsAProblemNamingTheCell(String name, String body, String field) {
        given().contentType("application/json").body(body).post("/api/v1/xscore").then().statusCode(400)
                .contentType("application/problem+json").body("status", equalTo(400))
                .body("field", equalTo(field)).body("type", equalTo("urn:xscore:problem:invalid-xscore-request"))
                .body("instance", equalTo("/api/v1/xscore"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            fields first                  | {"zz":1,"varianceDivisor":7,"lambda":-1,"anchors":5,"k":0,"accuracies":{"a":{"x":60}}} | zz                   | unknown field 'zz'; allowed: lambda, anchors, varianceDivisor, k, accuracies
            then lambda                   | {"varianceDivisor":7,"lambda":"0.5","anchors":5,"k":0,"accuracies":{"a":{"x":60}}}     | lambda               | lambda must be a number, got the string "0.5"
            then anchors                  | {"varianceDivisor":7,"anchors":5,"k":0,"accuracies":{"a":{"x":60}}}                    | anchors              | anchors must be "reference" or "recompute", got number 5
            then the divisor              | {"varianceDivisor":"n","k":0,"accuracies":{"a":{"x":60}}}                              | varianceDivisor      | varianceDivisor must be "sample" or "population", got the string "n"
            then the table                | {"anchors":"recompute","k":0,"accuracies":{"a":{"cifar10":60},"b":{"cifar10":"x"}}}    | accuracies.b.cifar10 | accuracy must be a number (percent), got the string "x"
            then k                        | {"anchors":"recompute","k":0,"accuracies":{"a":{"cifar10":60},"b":{"cifar10":50}}}     | k                    | k must be an integer between 1 and the number of datasets (1), got number 0
            template characters verbatim  | {"anchors":"recompute","accuracies":{"a{b}$c":{"cifar10":"{x}"},"b":{"cifar10":50}}}   | accuracies.a{b}$c.cifar10 | accuracy must be a number (percent), got the string "{x}"
            """)
    void theFirstProblemInCheckingOrderIsReportedInItsOwnWords(String name, String body, String field, String detail) {
        given().contentType("application/json").body(body).post("/api/v1/xscore").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo(field)).body("detail", equalTo(detail))
                .body("type", equalTo("urn:xscore:problem:invalid-xscore-request"))
                .body("title", equalTo("Invalid xScore request"));
    }

    @Test
    void aBodyOverTheLimitIsA413BeforeItIsParsed() {
        String body = "{" + " ".repeat(XScoreRequest.MAX_BODY_BYTES) + "}";
        given().contentType("application/json").body(body).post("/api/v1/xscore").then().statusCode(413)
                .contentType("application/problem+json").body("field", equalTo("body"))
                .body("detail", equalTo("body: " + (XScoreRequest.MAX_BODY_BYTES + 2) + " bytes, the limit is "
                        + XScoreRequest.MAX_BODY_BYTES + " bytes"));
    }

    @Test
    void aCompleteReferenceRowWithAnOutOfRangeCellIsRejected() {
        String body = referenceBody(0.5, "").replace("\"mobilenet\":{\"imagenette\":86.24",
                "\"mobilenet\":{\"imagenette\":186.24");
        given().contentType("application/json").body(body).post("/api/v1/xscore").then().statusCode(400)
                .body("field", equalTo("accuracies.mobilenet.imagenette"))
                .body("detail", containsString("within [0, 100]"));
    }
}
