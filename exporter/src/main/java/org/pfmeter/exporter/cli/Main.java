package org.pfmeter.exporter.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.pfmeter.exporter.Version;
import org.pfmeter.pf.os.NativeLayerException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code pfmeter}: the command line. Without a command it runs the daemon ({@code pfmeter run}).
 * Only this class exits the JVM.
 */
@Command(name = "pfmeter", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Reads OpenBSD's pf through /dev/pf and serves it as Prometheus metrics and JMX MXBeans.",
        subcommands = {RunCommand.class, ShowCommand.class, AbiCommand.class, RecordCommand.class, BillingCommand.class,
                UsageCommand.class, SimulateCommand.class, PasswdCommand.class})
public final class Main implements Runnable {

    private static final Set<String> TOP_LEVEL = Set.of("-h", "--help", "-V", "--version");

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line and returns its exit code (tests call this). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String[] a = args;
        if (a.length == 0 || (a[0].startsWith("-") && !TOP_LEVEL.contains(a[0]))) {
            a = new String[args.length + 1];
            a[0] = "run";
            System.arraycopy(args, 0, a, 1, args.length);
        }
        CommandLine cl = new CommandLine(new Main());
        PrintWriter o = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        cl.setOut(o);
        cl.setErr(e);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            // the native layer's message names the cause and the fixes: printed as it is, on one line
            commandLine.getErr().println("pfmeter: " + (ex instanceof NativeLayerException ? ex.getMessage() : ex));
            return ExitCodes.FAILED;
        });
        int code = cl.execute(a);
        o.flush();
        e.flush();
        return code;
    }

    @Override
    public void run() {
        // never reached: no command means run
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"pfmeter " + Version.get()};
        }
    }
}
