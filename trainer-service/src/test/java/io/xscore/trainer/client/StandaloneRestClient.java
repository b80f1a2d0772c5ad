package io.xscore.trainer.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A REST Client interface of this module ({@link DatasetServiceClient}) for tests that run outside CDI and
 * build a {@code DatasetClient} from a URL, where Quarkus' REST Client cannot be built (it needs a running
 * application). The proxy reads the interface's own annotations ({@code @GET}/{@code @POST}, {@code @Path},
 * {@code @PathParam}, {@code @Produces}/{@code @Consumes}), so it sends exactly the requests the REST Client sends,
 * over the Jakarta REST client API of the same HTTP stack, with the REST Client's contract: an error status (400 and
 * above) is a {@link WebApplicationException} whose body is buffered, a failure to reach the service a
 * {@link ProcessingException}. No fault tolerance: its interceptors need the CDI bean. The service itself injects the
 * {@code @RestClient} bean.
 *
 * <p>A proxy rather than a class implementing the interface: Quarkus REST would take such a class for a server
 * endpoint of the interface's paths.
 */
public final class StandaloneRestClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** One HTTP client (and connection pool) per read timeout, shared by every proxy: clients are never closed. */
    private static final Map<Duration, Client> CLIENTS = new ConcurrentHashMap<>();
    private static final long CONNECT_TIMEOUT_SECONDS = 10;

    private StandaloneRestClient() {
    }

    /**
     * @param api         a REST Client interface with {@code @GET} or {@code @POST} methods whose parameters are
     *                    {@code @PathParam}s and at most one body
     * @param readTimeout how long a request waits for data from the service before it fails
     */
    public static <T> T create(Class<T> api, String baseUrl, Duration readTimeout) {
        WebTarget root = CLIENTS.computeIfAbsent(readTimeout, StandaloneRestClient::client).target(baseUrl);
        Path path = api.getAnnotation(Path.class);
        WebTarget base = path != null ? root.path(path.value()) : root;
        Object proxy = Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api}, (self, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> self == args[0];
                    case "hashCode" -> System.identityHashCode(self);
                    default -> api.getSimpleName() + " at " + baseUrl;
                };
            }
            return invoke(base, method, args == null ? new Object[0] : args);
        });
        return api.cast(proxy);
    }

    private static Client client(Duration readTimeout) {
        ClientBuilder builder = ClientBuilder.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .readTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        if (builder instanceof org.jboss.resteasy.reactive.client.impl.ClientBuilderImpl impl) {
            impl.followRedirects(true);
        }
        return builder.build();
    }

    private static Object invoke(WebTarget base, Method method, Object[] args) {
        Path path = method.getAnnotation(Path.class);
        WebTarget target = path != null ? base.path(path.value()) : base;
        Object body = null;
        Annotation[][] annotations = method.getParameterAnnotations();
        for (int i = 0; i < args.length; i++) {
            PathParam param = annotation(annotations[i], PathParam.class);
            if (param != null) {
                target = target.resolveTemplate(param.value(), String.valueOf(args[i]));
            } else {
                body = args[i];
            }
        }
        Produces produces = method.getAnnotation(Produces.class);
        Invocation.Builder request = target.request(produces != null ? produces.value()
                : new String[] {MediaType.APPLICATION_JSON});
        Response response;
        if (method.isAnnotationPresent(GET.class)) {
            response = request.get();
        } else if (method.isAnnotationPresent(POST.class)) {
            Consumes consumes = method.getAnnotation(Consumes.class);
            response = request.post(Entity.entity(json(body),
                    consumes != null ? consumes.value()[0] : MediaType.APPLICATION_JSON));
        } else {
            throw new UnsupportedOperationException(method + ": only @GET and @POST");
        }
        if (response.getStatus() >= 400) {
            try {
                response.bufferEntity();
            } catch (RuntimeException e) {
                // no body to keep
            }
            throw new WebApplicationException(response.getStatusInfo().getReasonPhrase() + ", status code "
                    + response.getStatus(), response);
        }
        return response.readEntity(method.getReturnType());
    }

    private static byte[] json(Object body) {
        if (body instanceof byte[] bytes) {
            return bytes;
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new ProcessingException(e);
        }
    }

    private static <A extends Annotation> A annotation(Annotation[] annotations, Class<A> type) {
        for (Annotation a : annotations) {
            if (type.isInstance(a)) {
                return type.cast(a);
            }
        }
        return null;
    }
}
