package dev.callflux.examples;

import dev.callflux.examples.cli.CallFluxCli;

/** Entry point of {@code callflux.jar}: the {@code callflux} command line. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        CallFluxCli.main(args);
    }
}
