package io.docclassify.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A private network on this machine for cluster tests: each member in its own network namespace with a
 * veth pair into a bridge, the test's own processes (the submitter) on another veth into the same bridge,
 * and the LLM stand-in on a third, in a second subnet, so cutting the submitter's link leaves the members'
 * LLM reachable. Names and subnets are random per network, since other test runs may make theirs at the
 * same time. Needs root (CI runs as root); without it {@link #create} fails and says so.
 *
 * <pre>
 *   namespace NAME-0: NAMEn0 10.A.B.10, 10.A.C.10 --- NAMEh0 --+
 *   namespace NAME-1: NAMEn1 10.A.B.11, 10.A.C.11 --- NAMEh1 --+-- bridge NAMEb
 *   root: NAMEs 10.A.B.1 (submitter) --------------- NAMEsp --+
 *   root: NAMEl 10.A.C.1 (LLM stand-in) ------------- NAMElp --+
 * </pre>
 */
final class TestNetwork implements AutoCloseable {

    private final String name;
    private final String subnet;
    private final String llmSubnet;
    private final int members;
    private final List<String> created = new ArrayList<>();

    private TestNetwork(String name, String subnet, String llmSubnet, int members) {
        this.name = name;
        this.subnet = subnet;
        this.llmSubnet = llmSubnet;
        this.members = members;
    }

    /** Makes the namespaces, links and addresses for {@code members} members; {@link #close()} removes them. */
    static TestNetwork create(int members) throws IOException, InterruptedException {
        String name = "dc" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        String[] subnets = freeSubnets();
        TestNetwork network = new TestNetwork(name, subnets[0], subnets[1], members);
        try {
            network.build();
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            network.close();
            throw e;
        }
        return network;
    }

    private void build() throws IOException, InterruptedException {
        String probe = name + "-0";
        Result first = run("ip", "netns", "add", probe);
        if (first.code != 0) {
            throw new AssertionError("the network tests need root to make network namespaces (CI runs as root):"
                    + " 'ip netns add " + probe + "' said: " + first.output.strip()
                    + "; run them as root, or with CAP_NET_ADMIN and CAP_SYS_ADMIN");
        }
        created.add("netns " + probe);
        String bridge = name + "b";
        ip("link", "add", bridge, "type", "bridge");
        created.add("link " + bridge);
        ip("link", "set", bridge, "up");
        for (int i = 0; i < members; i++) {
            String namespace = name + "-" + i;
            if (i > 0) {
                ip("netns", "add", namespace);
                created.add("netns " + namespace);
            }
            String inside = name + "n" + i;
            ip("link", "add", hostSide(i), "type", "veth", "peer", "name", inside, "netns", namespace);
            created.add("link " + hostSide(i));
            ip("link", "set", hostSide(i), "master", bridge, "up");
            ip("netns", "exec", namespace, "ip", "addr", "add", memberAddress(i) + "/24", "dev", inside);
            ip("netns", "exec", namespace, "ip", "addr", "add", llmSubnet + (10 + i) + "/24", "dev", inside);
            ip("netns", "exec", namespace, "ip", "link", "set", inside, "up");
            ip("netns", "exec", namespace, "ip", "link", "set", "lo", "up");
        }
        rootLink(name + "s", name + "sp", submitterAddress(), bridge);
        rootLink(name + "l", name + "lp", llmAddress(), bridge);
    }

    private void rootLink(String end, String port, String address, String bridge) throws IOException, InterruptedException {
        ip("link", "add", end, "type", "veth", "peer", "name", port);
        created.add("link " + end);
        ip("link", "set", port, "master", bridge, "up");
        ip("addr", "add", address + "/24", "dev", end);
        ip("link", "set", end, "up");
    }

    /** Two /24 subnets of 10.0.0.0/8 that no interface or route of this machine uses yet. */
    private static String[] freeSubnets() throws IOException, InterruptedException {
        String used = run("ip", "-4", "addr").output + run("ip", "-4", "route").output;
        for (int attempt = 0; attempt < 50; attempt++) {
            int a = ThreadLocalRandom.current().nextInt(100, 250);
            int b = ThreadLocalRandom.current().nextInt(0, 254);
            String first = "10." + a + "." + b + ".";
            String second = "10." + a + "." + (b + 1) + ".";
            if (!used.contains(first) && !used.contains(second)) {
                return new String[] {first, second};
            }
        }
        throw new AssertionError("found no free 10.x.y.0/24 subnet for the test network; ip addr and ip route:\n" + used);
    }

    String memberAddress(int member) {
        return subnet + (10 + member);
    }

    String submitterAddress() {
        return subnet + "1";
    }

    /** The address the LLM stand-in listens on, reachable from every member whatever the submitter's link does. */
    String llmAddress() {
        return llmSubnet + "1";
    }

    /** What runs a command inside member {@code member}'s namespace. */
    List<String> launcher(int member) {
        return List.of("ip", "netns", "exec", name + "-" + member);
    }

    /** Unplugs member {@code member}: its link to the bridge goes down, so no packet passes either way. */
    void cutMember(int member) throws IOException, InterruptedException {
        ip("link", "set", hostSide(member), "down");
    }

    void healMember(int member) throws IOException, InterruptedException {
        ip("link", "set", hostSide(member), "up");
    }

    /** Unplugs the submitter (this machine's link into the network); the LLM stand-in's link stays up. */
    void cutSubmitter() throws IOException, InterruptedException {
        ip("link", "set", name + "s", "down");
    }

    void healSubmitter() throws IOException, InterruptedException {
        ip("link", "set", name + "s", "up");
        // Setting a link down drops its routes; up brings the address's subnet route back, as the kernel does.
    }

    private String hostSide(int member) {
        return name + "h" + member;
    }

    @Override
    public void close() throws IOException {
        try {
            for (String thing : created.reversed()) {
                String[] parts = thing.split(" ");
                if (parts[0].equals("netns")) {
                    run("ip", "netns", "del", parts[1]);
                } else {
                    run("ip", "link", "del", parts[1]); // a veth's peer goes with it
                }
            }
            created.clear();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Result(int code, String output) {}

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Result result = run(command.toArray(String[]::new));
        if (result.code != 0) {
            throw new AssertionError("'" + String.join(" ", command) + "' failed with " + result.code + ": " + result.output);
        }
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(-1, e.getMessage() + " (the network tests need iproute2's ip on the PATH)");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "timed out: " + output);
        }
        return new Result(process.exitValue(), output);
    }
}
