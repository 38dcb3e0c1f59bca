package org.llenergymeasure.campaign.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads, validates and expands a campaign file (campaign-format.md).
 *
 * <p>Error conventions: every {@link ConfigError} prints as {@code <file>:<line>:<column>:
 * <yaml.path>: <what is wrong; what would be right>}, lines and columns from 1, sorted by position,
 * all errors of the file at once. Problems with the file as a whole (missing, a directory,
 * unreadable, not UTF-8 text, binary, empty, not YAML, not a mapping, several documents) are one
 * error with path {@code $} at 1:1, or at the YAML parser's position when it stopped. Warnings
 * (equivalent experiments) use the same format.
 */
public final class CampaignLoader {

  /** Campaign files are small; a huge file is a mistake (a log, a dataset), not a campaign. */
  static final long MAX_BYTES = YamlLimits.MAX_FILE_BYTES;

  private CampaignLoader() {}

  /**
   * Loads and validates the campaign file {@code file}.
   *
   * @throws CampaignFileException with every located error of the file
   */
  public static LoadedCampaign load(Path file) throws CampaignFileException {
    String name = file.toString();
    return parse(read(file, name), name);
  }

  /**
   * Validates campaign YAML given as text; {@code fileNameForMessages} starts every message.
   *
   * @throws CampaignFileException with every located error of the text
   */
  public static LoadedCampaign parse(String yamlText, String fileNameForMessages)
      throws CampaignFileException {
    ErrorSink sink = new ErrorSink(fileNameForMessages);
    String text = yamlText.startsWith("\uFEFF") ? yamlText.substring(1) : yamlText;
    if (text.indexOf('\0') >= 0) {
      throw fileError(fileNameForMessages, "is a binary file, not a YAML campaign file");
    }
    if (text.length() > MAX_BYTES) {
      throw fileError(fileNameForMessages, tooLargeMessage());
    }
    YamlLimits.TooLong tooLong = YamlLimits.scan(text);
    if (tooLong != null) {
      throw new CampaignFileException(
          List.of(
              new ConfigError(
                  fileNameForMessages,
                  tooLong.mark().line(),
                  tooLong.mark().column(),
                  YamlPath.ROOT,
                  tooLong.message())));
    }
    YamlMap root;
    try {
      root = YamlTreeReader.read(text, sink);
    } catch (YamlSyntaxException e) {
      throw new CampaignFileException(
          List.of(
              new ConfigError(
                  fileNameForMessages,
                  e.mark().line(),
                  e.mark().column(),
                  e.path(),
                  e.getMessage())));
    }
    Campaign campaign = new CampaignValidator(sink).validate(root);
    if (campaign == null || sink.hasErrors()) {
      throw new CampaignFileException(sink.errors());
    }
    return new LoadedCampaign(campaign, PlanBuilder.plan(campaign), sink.warnings());
  }

  static String read(Path file, String name) throws CampaignFileException {
    if (Files.isDirectory(file)) {
      throw fileError(name, "is a directory; give the path of a campaign YAML file");
    }
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw fileError(name, tooLargeMessage());
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw fileError(name, "no such file; check the path");
    } catch (AccessDeniedException e) {
      throw fileError(name, "cannot be read: permission denied");
    } catch (FileSystemException e) {
      throw fileError(
          name, "cannot be read: " + (e.getReason() != null ? e.getReason() : e.getMessage()));
    } catch (IOException e) {
      throw fileError(name, "cannot be read: " + e.getMessage());
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw fileError(name, "is not UTF-8 text, so not a YAML campaign file");
    }
  }

  private static String tooLargeMessage() {
    return "is larger than " + (MAX_BYTES >> 20) + " MiB; a campaign file is a small YAML file";
  }

  private static CampaignFileException fileError(String file, String message) {
    return new CampaignFileException(List.of(new ConfigError(file, 1, 1, YamlPath.ROOT, message)));
  }
}
