import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.util.SimpleIRIMapper;

/**
 * The OWL API's OWL 2 DL profile checker over every module of the ontology, in one JVM.
 *
 *   OwlProfile MAPPING FILE...
 *
 * MAPPING is a text file of "IRI<TAB>path" lines (the module IRIs and their files, so that no
 * import is fetched from the network; a missing import is an error). For each FILE, loaded from
 * its path, prints "module\tFILE\tIRI\tAXIOMS\tVIOLATIONS" (axioms of its import closure) and one
 * "violation\tFILE\tTEXT" line per OWL 2 DL violation of its import closure.
 */
public class OwlProfile {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            String[] parts = line.split("\t");
            manager.getIRIMappers().add(new SimpleIRIMapper(IRI.create(parts[0]), IRI.create(new File(parts[1]))));
        }
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.THROW_EXCEPTION);
        manager.setOntologyLoaderConfiguration(config);
        for (int i = 1; i < args.length; i++) {
            File file = new File(args[i]);
            IRI documentIri = IRI.create(file);
            OWLOntology ontology = null;
            for (OWLOntology loaded : manager.getOntologies()) {
                if (documentIri.equals(manager.getOntologyDocumentIRI(loaded))) {
                    ontology = loaded;
                }
            }
            if (ontology == null) {
                ontology = manager.loadOntologyFromOntologyDocument(file);
            }
            OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
            List<OWLProfileViolation> violations = report.getViolations();
            long axioms = ontology.importsClosure().mapToLong(o -> o.getAxiomCount()).sum();
            System.out.println("module\t" + args[i] + "\t" + ontology.getOntologyID().getOntologyIRI().map(IRI::toString).orElse("")
                + "\t" + axioms + "\t" + violations.size());
            for (OWLProfileViolation violation : violations) {
                System.out.println("violation\t" + args[i] + "\t" + violation.toString().replace('\n', ' '));
            }
        }
    }
}
