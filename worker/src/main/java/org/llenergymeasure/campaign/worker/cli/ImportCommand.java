package org.llenergymeasure.campaign.worker.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.llenergymeasure.campaign.config.CampaignFileException;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.ConfigError;
import org.llenergymeasure.campaign.config.ImportNote;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.config.StudyImport;
import org.llenergymeasure.campaign.worker.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Convert an llenergymeasure study file (sweep, experiments, study_execution, runners) into"
          + " a campaign file whose experiments use `llenergymeasure:`. The result is validated"
          + " before it is written; what could not be carried over is printed as"
          + " STUDY:LINE: path: message (and kept as comments at the top of the file)."
    },
    footer = {
      "",
      "Examples:",
      "  llem-campaign import study.yaml -o campaign.yaml",
      "  llem-campaign import study.yaml --json        # the campaign YAML in the \"yaml\" field"
    })
final class ImportCommand implements Callable<Integer> {

  @Parameters(paramLabel = "STUDY", description = "The llenergymeasure study file (YAML).")
  Path study;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the campaign file here (default: print it on stdout).")
  Path output;

  @Option(
      names = "--upstream-version",
      paramLabel = "V",
      description =
          "llenergymeasure's version whose images run the experiments"
              + " (defaults.llenergymeasure.version; default: that of campaign-format.md).")
  String upstreamVersion;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    StudyImport.Result r;
    try {
      r = StudyImport.convert(study, upstreamVersion);
    } catch (StudyImport.Refused e) {
      e.notes().forEach(n -> console.note("note: " + n));
      throw e;
    }
    for (ImportNote n : r.notes()) {
      console.note("note: " + n);
    }
    String name = output != null ? output.toString() : r.campaign() + ".yaml (converted)";
    LoadedCampaign loaded;
    try {
      loaded = CampaignLoader.parse(r.yaml(), name);
    } catch (CampaignFileException e) {
      List<ConfigError> errors = new ArrayList<>();
      errors.add(
          new ConfigError(
              study.toString(),
              1,
              1,
              "$",
              "the converted campaign does not validate, so nothing was written; its errors"
                  + " follow"));
      errors.addAll(e.errors());
      throw new CampaignFileException(errors);
    }
    loaded.warnings().forEach(w -> console.note("warning: " + w));
    if (output != null) {
      Files.writeString(output, r.yaml(), StandardCharsets.UTF_8);
    }
    if (common.json()) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("campaign", r.campaign());
      out.put("output", output == null ? null : output.toString());
      out.put("hash", loaded.plan().hash());
      out.put("experiments", loaded.campaign().experiments().size());
      out.put("cycles", loaded.campaign().execution().cycles());
      out.put("runs", loaded.plan().runs().size());
      out.put("notes", r.notes());
      out.put("warnings", loaded.warnings());
      if (output == null) {
        out.put("yaml", r.yaml());
      }
      console.json(out);
      return ExitCodes.OK;
    }
    if (output == null) {
      console.line(r.yaml().stripTrailing());
    }
    console.note(
        study
            + ": imported as campaign "
            + r.campaign()
            + (output != null ? " in " + output : "")
            + ": "
            + loaded.campaign().experiments().size()
            + " experiments × "
            + loaded.campaign().execution().cycles()
            + " cycles = "
            + loaded.plan().runs().size()
            + " runs; "
            + r.notes().size()
            + " note(s)");
    return ExitCodes.OK;
  }
}
