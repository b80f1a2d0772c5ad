package io.xscore.scoring.rest;

import io.xscore.support.problem.ProblemException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * Reads the body of {@code POST /api/v1/xscore} into an {@link XScoreRequest}: the size limit on the raw bytes first
 * (413 over {@link XScoreRequest#MAX_BODY_BYTES}), then {@link XScoreRequest#read}. Not the application's JSON
 * mapper: it would convert values (a string "0.5" into a number) that the request's constraints must see as sent,
 * and it would neither catch duplicate keys nor let {@code NaN} through to be refused with the cell named.
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
public class XScoreRequestReader implements MessageBodyReader<XScoreRequest> {

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == XScoreRequest.class;
    }

    @Override
    public XScoreRequest readFrom(Class<XScoreRequest> type, Type genericType, Annotation[] annotations,
            MediaType mediaType, MultivaluedMap<String, String> headers, InputStream body) throws IOException {
        byte[] bytes = body.readAllBytes();
        if (bytes.length > XScoreRequest.MAX_BODY_BYTES) {
            throw ProblemException.tooLarge(bytes.length, XScoreRequest.MAX_BODY_BYTES);
        }
        return XScoreRequest.read(new String(bytes, StandardCharsets.UTF_8));
    }
}
