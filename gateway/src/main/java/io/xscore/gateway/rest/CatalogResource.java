package io.xscore.gateway.rest;

import io.xscore.common.auth.Roles;
import io.xscore.common.catalog.DatasetCatalog;
import io.xscore.common.catalog.DatasetInfo;
import io.xscore.common.catalog.ModelCatalog;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Protocols;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** What an evaluation request may name: models, datasets and protocols. */
@RolesAllowed(Roles.VIEWER)
@Path("/api/v1/catalog")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogResource {

    public record Catalog(List<ModelCatalog.ModelInfo> models, String customModels, List<DatasetInfo> datasets,
            List<ProtocolSpec> protocols) {
    }

    @GET
    @Operation(summary = "Accepted model ids, dataset ids and protocols")
    public Catalog catalog() {
        return new Catalog(ModelCatalog.fixed(), "convmixer-<dim>-<depth> (dim 8-1024, depth 1-32)",
                DatasetCatalog.all(), Protocols.names().stream().map(Protocols::get).toList());
    }
}
