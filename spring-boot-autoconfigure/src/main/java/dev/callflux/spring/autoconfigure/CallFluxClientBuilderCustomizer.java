package dev.callflux.spring.autoconfigure;

import dev.callflux.reactor.CallFluxClientBuilder;

/**
 * Changes the auto-configured client's builder after the {@code callflux.*} properties are applied: declare a bean
 * of this type (ordered with {@code @Order} when there are several). Not applied to a {@code CallFluxClient} bean
 * of the application's own.
 */
@FunctionalInterface
public interface CallFluxClientBuilderCustomizer {

    /**
     * Customizes the builder.
     *
     * @param builder the builder, with the properties, credentials, observers and (in WebFlux) the server's Reactor
     *                Netty resources already set
     */
    void customize(CallFluxClientBuilder builder);
}
