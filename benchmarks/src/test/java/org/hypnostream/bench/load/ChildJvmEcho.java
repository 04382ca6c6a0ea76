package org.hypnostream.bench.load;

/** Child-JVM main of {@link MaxBedsProbeTest}: prints what it was given, so the test sees what the child got. */
public final class ChildJvmEcho {
    private ChildJvmEcho() {
    }

    public static void main(String[] args) {
        System.out.println("args=" + String.join(",", args));
        System.out.println("prop=" + System.getProperty("hypnostream.test.echo"));
        System.out.println("ort=" + System.getenv("ORT_DISABLE_TELEMETRY"));
        System.out.println("heap=" + Runtime.getRuntime().maxMemory());
    }
}
