package dev.callflux.examples;

import java.util.Arrays;

/** Entry point of {@code callflux.jar}: {@code demo} runs the demo. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("demo")) {
            Demo.main(args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.err.println("usage: java -jar callflux.jar demo [calls] [concurrency]");
        System.exit(2);
    }
}
