package io.xscore.scoring.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.xscore.common.json.Json;
import io.xscore.common.json.MessageCodec;
import org.bson.Document;

/** Stores message records as BSON documents with exactly their JSON wire form, and reads them back. */
public final class Documents {

    private Documents() {
    }

    public static Document of(Object message) {
        return Document.parse(MessageCodec.encode(message));
    }

    public static <T> T read(Document document, Class<T> type) {
        try {
            return Json.MAPPER.readValue(document.toJson(), type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " cannot be read back: "
                    + e.getOriginalMessage(), e);
        }
    }
}
