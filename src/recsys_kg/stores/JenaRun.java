// Runs several of Jena's command-line classes (tdb2.tdbloader, tdb2.tdbquery, riotcmd.riot, ...) one after
// the other in one JVM, so a batch of commands pays for one JVM start instead of one each (about 1.5 s per
// command here). Launched as a single-file source program: java -cp <jena classpath> JenaRun.java <script>.
// Each line of the script is one command, fields separated by tabs: the file that receives the command's
// standard output, the main class, then its arguments. A failing command exits the JVM with its code
// (Jena's CmdMain does that), after this program named it on standard error.
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

public class JenaRun {
    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        PrintStream console = System.out;
        int number = 0;
        for (String line : lines) {
            number++;
            if (line.isEmpty()) continue;
            String[] fields = line.split("\t", -1);
            String[] commandArgs = Arrays.copyOfRange(fields, 2, fields.length);
            System.err.println("JenaRun: command " + number + ": " + fields[1] + " " + String.join(" ", commandArgs));
            long started = System.nanoTime();
            try (PrintStream out = new PrintStream(new FileOutputStream(fields[0]), true, StandardCharsets.UTF_8)) {
                System.setOut(out);
                Class.forName(fields[1]).getMethod("main", String[].class).invoke(null, (Object) commandArgs);
            } finally {
                System.setOut(console);
            }
            System.err.println("JenaRun: command " + number + " took " + (System.nanoTime() - started) / 1000000 + " ms");
        }
    }
}
