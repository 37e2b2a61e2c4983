package io.scopekv;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The package structure of scope-core's main classes: one-way layers (policy SPI, then the prefill
 * built-ins, then the decoding built-ins, then the API with the package-private cache), no
 * package cycles, and no public type the module descriptor does not export.
 */
@AnalyzeClasses(packagesOf = KvCache.class, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** Every package its own slice, so a cycle between any two packages is reported by name. */
    private static final SliceAssignment BY_PACKAGE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            return name.equals("io.scopekv") || name.startsWith("io.scopekv.")
                    ? SliceIdentifier.of(name) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "the packages of io.scopekv";
        }
    };

    @ArchTest
    static final ArchRule PACKAGES_ARE_FREE_OF_CYCLES = slices().assignedFrom(BY_PACKAGE).should().beFreeOfCycles();

    @ArchTest
    static final ArchRule POLICIES_DO_NOT_DEPEND_ON_THE_API = noClasses()
            .that().resideInAPackage("io.scopekv.policy..")
            .should().dependOnClassesThat().resideInAPackage("io.scopekv")
            .because("the API and the cache are built on the policy SPI and the built-ins, not the other way round");

    @ArchTest
    static final ArchRule LAYERS_POINT_ONE_WAY = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("SPI").definedBy("io.scopekv.policy")
            .layer("prefill").definedBy("io.scopekv.policy.prefill")
            .layer("decoding").definedBy("io.scopekv.policy.decoding")
            .layer("API").definedBy("io.scopekv")
            .whereLayer("API").mayNotBeAccessedByAnyLayer()
            .whereLayer("decoding").mayOnlyBeAccessedByLayers("API")
            .whereLayer("prefill").mayOnlyBeAccessedByLayers("decoding", "API")
            .whereLayer("SPI").mayOnlyBeAccessedByLayers("prefill", "decoding", "API");

    @ArchTest
    static void public_types_live_in_exported_packages(JavaClasses mainClasses) {
        Set<String> exported = exportedPackages();
        assertThat(exported).as("packages module-info exports").isNotEmpty();
        classes().that().arePublic().or().areProtected()
                .should().resideInAnyPackage(exported.toArray(String[]::new))
                .because("a public type in a package the module does not export is API on the class path only")
                .check(mainClasses);
    }

    /** The packages scope-core's compiled module descriptor exports to everyone. */
    private static Set<String> exportedPackages() {
        Path classes;
        try {
            classes = Path.of(KvCache.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + KvCache.class, e);
        }
        List<ModuleReference> modules = List.copyOf(ModuleFinder.of(classes).findAll());
        assertThat(modules).as("modules found in %s", classes).hasSize(1);
        return modules.get(0).descriptor().exports().stream()
                .filter(export -> !export.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
    }
}
