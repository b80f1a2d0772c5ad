package io.xscore.dataset.rest;

import io.xscore.dataset.catalog.DatasetException;
import io.xscore.dataset.preprocess.ShardEntry;
import io.xscore.support.problem.Problem;
import io.xscore.support.problem.ProblemMappers;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * The HTTP answer for one shard file, shared by the split shards ({@code .../splits/{split}/shards/{name}}) and the
 * augmented-epoch shards ({@code .../augmented/{key}/epochs/{epoch}/shards/{name}}): the ImageShard v1 bytes with a
 * strong ETag = the shard's SHA-256; If-None-Match (304); a single byte range ({@code Range: bytes=a-b|a-|-n} → 206
 * with Content-Range; unsatisfiable → 416 problem with {@code Content-Range: bytes * /size}); If-Range with the ETag
 * (a different validator sends the whole shard). Other or multiple ranges are ignored (200, whole shard).
 */
public final class ShardResponses {

    private ShardResponses() {
    }

    /**
     * @param file     the shard on disk (already resolved safely and listed in its manifest)
     * @param entry    the manifest's entry for it (size, SHA-256)
     * @param instance the request path, for the 416 problem
     * @param served   told the number of bytes that will be sent (metrics)
     */
    public static Response send(Path file, ShardEntry entry, String range, String ifRange, Request request,
            String instance, LongConsumer served) {
        EntityTag etag = new EntityTag(entry.sha256());
        Response.ResponseBuilder notModified = request.evaluatePreconditions(etag);
        if (notModified != null) {
            return notModified.tag(etag).build();
        }
        long size = entry.bytes();
        boolean rangeApplies = range != null && (ifRange == null || ifRange.strip().equals("\"" + etag.getValue() + "\""));
        Optional<ByteRange> selected;
        try {
            selected = rangeApplies ? ByteRange.parse(range, size) : Optional.empty();
        } catch (ByteRange.Unsatisfiable e) {
            return ProblemMappers.builder(Problem.of(416, "range-not-satisfiable", "Range not satisfiable",
                    "range " + DatasetException.quoted(range) + " selects nothing of the " + size + "-byte shard "
                            + entry.name(), instance, "Range"))
                    .header("Content-Range", "bytes */" + size).tag(etag).build();
        }
        if (selected.isEmpty()) {
            served.accept(size);
            // A File entity would let the HTTP layer apply the Range header on its own; a stream sends exactly this.
            Object entity = range == null ? file.toFile() : stream(file, 0, size);
            return Response.ok(entity, MediaType.APPLICATION_OCTET_STREAM_TYPE)
                    .tag(etag)
                    .header("Accept-Ranges", "bytes")
                    .header(HttpHeaders.CONTENT_LENGTH, size)
                    .build();
        }
        ByteRange r = selected.get();
        served.accept(r.length());
        return Response.status(206).entity(stream(file, r.first(), r.length()))
                .type(MediaType.APPLICATION_OCTET_STREAM_TYPE).tag(etag)
                .header("Accept-Ranges", "bytes")
                .header("Content-Range", "bytes " + r.first() + "-" + r.last() + "/" + size)
                .header(HttpHeaders.CONTENT_LENGTH, r.length())
                .build();
    }

    private static StreamingOutput stream(Path file, long first, long length) {
        return out -> {
            try (InputStream in = Files.newInputStream(file)) {
                in.skipNBytes(first);
                long left = length;
                byte[] buffer = new byte[1 << 16];
                while (left > 0) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        throw new IOException("shard " + file + " shrank while being sent");
                    }
                    out.write(buffer, 0, n);
                    left -= n;
                }
            }
        };
    }
}
