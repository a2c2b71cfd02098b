package dev.papertape.feed.cli;

import dev.papertape.feed.app.ExitCodes;
import dev.papertape.feed.config.FeedConfig;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * The market feed process. Without a subcommand it simulates with the settings of the environment
 * ({@link FeedConfig}); {@code simulate} and {@code replay} take flags that override them.
 *
 * <p>Exit codes ({@link ExitCodes}): 0 done, 2 bad usage or settings, 3 bad input file, 4 Kafka
 * unavailable.
 */
@Command(
    name = "papertape-market-feed",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Produces market trades to Kafka: a seedable GBM simulator, or a replay of CSV files.",
      "Without a command it runs 'simulate' with the settings of the environment.",
      "Settings: PAPERTAPE_* environment variables (see .env.example); flags override them."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done (or stopped by SIGTERM)",
      "2:bad usage or settings",
      "3:an input file cannot be read or has a bad row",
      "4:Kafka is unavailable or refused the trades"
    })
public final class Main implements Callable<Integer> {
  private static final Logger LOG = LogManager.getLogger(Main.class);

  private final Map<String, String> env;

  Main(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    return new SimulateCommand(env).call();
  }

  public static void main(String[] args) {
    System.exit(run(args, System.getenv()));
  }

  /**
   * Runs the feed as the process would, with {@code env} as its environment.
   *
   * @return the exit code
   */
  public static int run(String[] args, Map<String, String> env) {
    return commandLine(env).execute(args);
  }

  /** The command line (exposed so tests can capture its output). */
  static CommandLine commandLine(Map<String, String> env) {
    CommandLine cl = new CommandLine(new Main(env));
    cl.addSubcommand(new SimulateCommand(env));
    cl.addSubcommand(new ReplayCommand(env));
    cl.addSubcommand(new HelpCommand());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          int code = ExitCodes.of(e);
          if (code == ExitCodes.SOFTWARE) {
            LOG.error("market feed failed: {}", e.toString(), e);
          } else {
            LOG.error("{}", e.getMessage());
          }
          PrintWriter err = cmd.getErr();
          err.println("error: " + e.getMessage());
          err.flush();
          return code;
        });
    return cl;
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"papertape-market-feed " + (v == null ? "(development)" : v)};
    }
  }
}
