package io.xscore.gateway.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.xscore.common.json.Json;
import io.xscore.common.messaging.EvaluationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestValidatorTest {

    final RequestValidator validator = new RequestValidator(100);

    static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s.replace('\'', '"'));
    }

    @Test
    void acceptsAValidRequestAndFillsTheSchemaVersion() throws Exception {
        EvaluationRequest r = validator.validate(json(
                "{'models':['convmixer-64-2','convmixer'],'datasets':['fashion-mnist'],'seeds':[0,7],'protocol':'quick',"
                        + "'overrides':{'epochs':2}}"));
        assertEquals(1, r.schemaVersion());
        assertEquals(2, r.models().size());
        assertEquals(7L, r.seeds().get(1));
    }

    @Test
    void acceptsTheRobustTrainingProtocolsWithOverrides() throws Exception {
        for (String protocol : new String[] {"quick-at", "quick-trades", "quick-trades-original", "pilot-at",
                "pilot-trades", "pilot-trades-original"}) {
            EvaluationRequest r = validator.validate(json("{'models':['convmixer'],'datasets':['cifar10'],'seeds':[0],"
                    + "'protocol':'" + protocol + "','overrides':{'epochs':2}}"));
            assertEquals(protocol, r.protocol());
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{'models':['convmixer','resnet-9000'],'datasets':['cifar10'],'seeds':[0],'protocol':'quick'}|models[1]",
        "{'models':[],'datasets':['cifar10'],'seeds':[0],'protocol':'quick'}|models",
        "{'models':['convmixer'],'datasets':['imagenet-21k'],'seeds':[0],'protocol':'quick'}|datasets[0]",
        "{'models':['convmixer'],'datasets':[],'seeds':[0],'protocol':'quick'}|datasets",
        "{'models':['convmixer'],'datasets':['cifar10'],'seeds':[-1],'protocol':'quick'}|seeds[0]",
        "{'models':['convmixer'],'datasets':['cifar10'],'seeds':[0, 99999999999999],'protocol':'quick'}|seeds[1]",
        "{'models':['convmixer'],'datasets':['cifar10'],'seeds':[1.5],'protocol':'quick'}|seeds[0]",
        "{'models':['convmixer'],'datasets':['cifar10'],'seeds':[],'protocol':'quick'}|seeds",
        "{'models':['convmixer'],'datasets':['cifar10'],'seeds':[0],'protocol':'slow'}|protocol",
        "{'models':['convmixer'],'datasets':['cifar10'],'seeds':[0]}|protocol",
        "{'models':['convmixer'],'datasets':['cifar10'],'seeds':[0],'protocol':'paper-v1','overrides':{'epochs':3}}|overrides",
        "{'models':['convmixer'],'datasets':['cifar10'],'seeds':[0],'protocol':'quick','overrides':{'epochs':0}}|overrides.epochs",
        "{'models':['convmixer'],'datasets':['cifar10'],'seeds':[0],'protocol':'quick','overrides':{'lr':3}}|overrides.lr",
        "{'models':['convmixer'],'datasets':['cifar10'],'seeds':[0],'protocol':'quick','colour':'red'}|colour",
        "{'models':['convmixer','convmixer'],'datasets':['cifar10'],'seeds':[0],'protocol':'quick'}|models",
        "{'models':['convmixer-4-2'],'datasets':['cifar10'],'seeds':[0],'protocol':'quick'}|models[0]",
    })
    void rejectsNamingTheField(String body, String field) throws Exception {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> validator.validate(json(body)));
        assertEquals(field, e.field(), e.reason());
        assertTrue(e.reason().startsWith(field + ": "));
    }

    @Test
    void rejectsAGridLargerThanTheJobBudget() throws Exception {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> validator.validate(json(
                "{'models':['convmixer','convmixer-256-8','convmixer-64-2'],'datasets':['cifar10','cifar100',"
                        + "'ham10000','stanford_dogs','mit_indoor67'],'seeds':[0,1,2,3,4,5,6,7],'protocol':'quick'}")));
        assertTrue(e.getMessage().contains("120 jobs"), e.getMessage());
    }

    @Test
    void reportsTheFirstProblemInCheckingOrderWithTheValueVerbatim() throws Exception {
        // models before datasets before the protocol; the lowest index among several unknown models (11 before 2
        // as text, not as a number); a value with template characters is quoted as it came
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> validator.validate(json(
                "{'models':['convmixer','convmixer-64-2','a','b','c','d','e','f','g','h','i','j-{x}-${y}'],"
                        + "'datasets':['imagenet-21k'],'seeds':[0],'protocol':'slow'}")));
        assertEquals("models[2]", e.field(), e.reason());
        e = assertThrows(InvalidRequestException.class, () -> validator.validate(json(
                "{'models':['convmixer','j-{x}-${y}\\\\'],'datasets':['imagenet-21k'],'seeds':[0],'protocol':'slow'}")));
        assertEquals("models[1]", e.field(), e.reason());
        assertTrue(e.reason().startsWith("models[1]: 'j-{x}-${y}\\': unknown model; known: ["), e.reason());
        e = assertThrows(InvalidRequestException.class, () -> validator.validate(json(
                "{'models':['convmixer'],'datasets':['cifar10','imagenet-21k'],'seeds':[0],'protocol':'slow'}")));
        assertEquals("datasets[1]", e.field(), e.reason());
        e = assertThrows(InvalidRequestException.class, () -> validator.validate(json(
                "{'models':['convmixer'],'datasets':['cifar10'],'seeds':[0],'protocol':'slow','overrides':{'x':1}}")));
        assertTrue(e.reason().startsWith("protocol: unknown protocol 'slow'; known: "), e.reason());
    }

    @Test
    void rejectsNonObjects() throws Exception {
        assertEquals("body", assertThrows(InvalidRequestException.class, () -> validator.validate(json("[1,2]"))).field());
    }
}
