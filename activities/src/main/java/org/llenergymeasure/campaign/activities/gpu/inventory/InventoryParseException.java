package org.llenergymeasure.campaign.activities.gpu.inventory;

/**
 * A line of nvidia-smi output that a parser did not understand. Parsers are strict on purpose: a
 * guessed inventory routes runs onto the wrong GPUs, a refused one costs a clear message.
 */
public class InventoryParseException extends InventoryException {

  private final int lineNumber;
  private final String line;

  public InventoryParseException(String what, int lineNumber, String line, String problem) {
    super(what + " line " + lineNumber + ": " + problem + ": \"" + line + "\"");
    this.lineNumber = lineNumber;
    this.line = line;
  }

  /** 1-based. */
  public int lineNumber() {
    return lineNumber;
  }

  public String line() {
    return line;
  }
}
