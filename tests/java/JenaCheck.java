import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.Syntax;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.RDFNode;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.shacl.validation.ReportEntry;

/**
 * Jena, as a second opinion on the project's SPARQL and SHACL, in one JVM per call.
 *
 *   queries FILE...            parse each file as SPARQL 1.1: "ok\tFILE" or "error\tFILE\tMESSAGE"
 *   shacl SHAPES DATA...       load the shapes, validate each Turtle data file:
 *                              "shapes\tCOUNT", then per file "conforms\tFILE\ttrue|false" and one
 *                              "result\tFILE\tFOCUS\tPATH\tMESSAGE" per validation result
 */
public class JenaCheck {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String[] files = Arrays.copyOfRange(args, 1, args.length);
        if (mode.equals("queries")) {
            for (String file : files) {
                try {
                    QueryFactory.create(Files.readString(Path.of(file)), Syntax.syntaxSPARQL_11);
                    System.out.println("ok\t" + file);
                } catch (Exception e) {
                    System.out.println("error\t" + file + "\t" + e.getMessage().replace('\n', ' '));
                }
            }
        } else if (mode.equals("shacl")) {
            Shapes shapes = Shapes.parse(RDFDataMgr.loadGraph(files[0]));
            System.out.println("shapes\t" + shapes.numRootShapes());
            for (String file : Arrays.copyOfRange(files, 1, files.length)) {
                ValidationReport report = ShaclValidator.get().validate(shapes, RDFDataMgr.loadGraph(file));
                System.out.println("conforms\t" + file + "\t" + report.conforms());
                for (ReportEntry entry : report.getEntries()) {
                    System.out.println("result\t" + file + "\t" + entry.focusNode() + "\t"
                        + (entry.resultPath() == null ? "" : entry.resultPath().toString()) + "\t"
                        + String.valueOf(entry.message()).replace('\n', ' '));
                }
            }
        } else {
            throw new IllegalArgumentException("mode: queries | shacl");
        }
    }
}
