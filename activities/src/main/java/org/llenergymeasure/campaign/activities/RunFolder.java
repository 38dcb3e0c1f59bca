package org.llenergymeasure.campaign.activities;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and deletes what a run could have written, through directory handles, never through path
 * strings: a container run may put anything into its folder (links to host files, links to host
 * folders in place of sub-folders, FIFOs, device nodes) and may race the worker while doing so.
 *
 * <p>Every path component is opened relative to the handle of the folder before it with {@link
 * LinkOption#NOFOLLOW_LINKS} ({@link SecureDirectoryStream}, {@code openat} with {@code O_NOFOLLOW}
 * on Linux), so a link is never followed whatever it is swapped for between checks. Only regular
 * files are read: the entry is checked before it is opened and again after (same file key), and at
 * most {@code limit + 1} bytes are read. A delete unlinks the entry in its folder's handle: a link
 * is removed, never its target.
 *
 * <p>The messages say why an entry was refused and never quote its content.
 */
public final class RunFolder {

  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

  private RunFolder() {}

  /** What a read found. */
  public sealed interface Read {}

  /** The file's bytes (at most {@code limit + 1}: more than {@code limit} means too large). */
  public record Bytes(byte[] bytes) implements Read {}

  /** Nothing of that name (or a folder on the way is missing). */
  public record Missing() implements Read {}

  /**
   * Refused without reading: {@code why} completes "the file X ..." (e.g. "is a symbolic link").
   */
  public record Refused(String why) implements Read {}

  /**
   * Reads {@code relative} (components separated by {@code /}) under {@code base}, a folder the
   * worker made. Components that are {@code .}, {@code ..} or empty are refused.
   */
  public static Read read(Path base, String relative, long limit) {
    List<String> parts = components(relative);
    if (parts.isEmpty()) {
      return new Refused("is not a file name inside the run's folder");
    }
    try (DirectoryStream<Path> top = Files.newDirectoryStream(base)) {
      return readIn(secure(top, base), parts, 0, limit);
    } catch (NoSuchFileException e) {
      return new Missing();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + relative + " in " + base, e);
    }
  }

  /**
   * The names of the entries directly in {@code dir}, a folder the worker made, sorted; nothing is
   * followed or opened. Empty when the folder is missing.
   */
  public static List<String> names(Path dir) {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      entries.forEach(p -> names.add(p.getFileName().toString()));
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + dir, e);
    }
    names.sort(null);
    return names;
  }

  /** Whether {@code relative} under {@code base} is a regular file (links are not followed). */
  public static boolean isRegularFile(Path base, String relative) {
    return stat(base, relative).map(BasicFileAttributes::isRegularFile).orElse(false);
  }

  /** The entry's own attributes (a link's, not its target's); empty when it or a folder is gone. */
  public static Optional<BasicFileAttributes> stat(Path base, String relative) {
    List<String> parts = components(relative);
    if (parts.isEmpty()) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> top = Files.newDirectoryStream(base)) {
      SecureDirectoryStream<Path> dir = secure(top, base);
      return statIn(dir, parts, 0);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("looking at " + relative + " in " + base, e);
    }
  }

  /**
   * Deletes {@code relative} under {@code base} and, when it is a folder (not a link to one),
   * everything in it. Links are removed, never followed. Missing is fine.
   */
  public static void deleteTree(Path base, String relative) {
    List<String> parts = components(relative);
    if (parts.isEmpty()) {
      return;
    }
    try (DirectoryStream<Path> top = Files.newDirectoryStream(base)) {
      deleteIn(secure(top, base), parts, 0);
    } catch (NoSuchFileException e) {
      // Gone already.
    } catch (IOException e) {
      throw new UncheckedIOException("removing " + relative + " from " + base, e);
    }
  }

  /**
   * Empties the folder {@code name} under {@code base} (keeping it), or removes {@code name} when
   * it is anything but a folder (a link is removed, never followed). Missing is fine.
   */
  public static void clear(Path base, String name) {
    try (DirectoryStream<Path> top = Files.newDirectoryStream(base)) {
      SecureDirectoryStream<Path> parent = secure(top, base);
      Path dirName = Path.of(name);
      if (!isDirectory(parent, dirName)) {
        unlink(parent, dirName);
        return;
      }
      try (SecureDirectoryStream<Path> dir = parent.newDirectoryStream(dirName, NOFOLLOW)) {
        List<Path> entries = new ArrayList<>();
        dir.forEach(p -> entries.add(p.getFileName()));
        for (Path entry : entries) {
          deleteEntry(dir, entry, 0);
        }
      }
    } catch (NoSuchFileException e) {
      // Gone already.
    } catch (IOException e) {
      throw new UncheckedIOException("emptying " + base.resolve(name), e);
    }
  }

  /**
   * Deletes the entries {@code names} (files or links, never followed) in the folder {@code
   * relative} under {@code base}, then that folder if it is then empty.
   */
  public static void deleteFiles(Path base, String relative, List<String> names) {
    try (DirectoryStream<Path> top = Files.newDirectoryStream(base)) {
      SecureDirectoryStream<Path> parent = secure(top, base);
      Path dirName = Path.of(relative);
      if (!isDirectory(parent, dirName)) {
        unlink(parent, dirName);
        return;
      }
      try (SecureDirectoryStream<Path> dir = parent.newDirectoryStream(dirName, NOFOLLOW)) {
        for (String name : names) {
          unlink(dir, Path.of(name));
        }
      }
      try {
        parent.deleteDirectory(dirName);
      } catch (java.nio.file.DirectoryNotEmptyException e) {
        // Something else is in there: leave it.
      }
    } catch (NoSuchFileException e) {
      // Gone already.
    } catch (IOException e) {
      throw new UncheckedIOException("removing files from " + base.resolve(relative), e);
    }
  }

  private static Read readIn(SecureDirectoryStream<Path> dir, List<String> parts, int i, long limit)
      throws IOException {
    Path name = Path.of(parts.get(i));
    Optional<BasicFileAttributes> attrs = attributes(dir, name);
    if (attrs.isEmpty()) {
      return new Missing();
    }
    if (attrs.get().isSymbolicLink()) {
      return new Refused(
          i == parts.size() - 1 ? "is a symbolic link" : "is inside a symbolic link");
    }
    if (i < parts.size() - 1) {
      if (!attrs.get().isDirectory()) {
        return new Refused("is inside something that is not a folder");
      }
      try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, NOFOLLOW)) {
        return readIn(sub, parts, i + 1, limit);
      } catch (NoSuchFileException e) {
        return new Missing();
      } catch (IOException e) {
        // ELOOP: swapped for a link after the check.
        return new Refused("is inside a symbolic link");
      }
    }
    if (!attrs.get().isRegularFile()) {
      return new Refused("is not a regular file");
    }
    byte[] bytes;
    try (SeekableByteChannel in =
        dir.newByteChannel(name, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
      bytes = readAtMost(in, limit + 1);
    } catch (NoSuchFileException e) {
      return new Missing();
    } catch (IOException e) {
      if (attributes(dir, name).map(BasicFileAttributes::isSymbolicLink).orElse(false)) {
        return new Refused("is a symbolic link");
      }
      throw e;
    }
    // Swapped while it was opened: the bytes may be another file's.
    Optional<BasicFileAttributes> after = attributes(dir, name);
    if (after.isEmpty()
        || !after.get().isRegularFile()
        || !java.util.Objects.equals(after.get().fileKey(), attrs.get().fileKey())) {
      return new Refused("was replaced while it was read");
    }
    return new Bytes(bytes);
  }

  private static Optional<BasicFileAttributes> statIn(
      SecureDirectoryStream<Path> dir, List<String> parts, int i) throws IOException {
    Path name = Path.of(parts.get(i));
    Optional<BasicFileAttributes> attrs = attributes(dir, name);
    if (i == parts.size() - 1 || attrs.isEmpty() || !attrs.get().isDirectory()) {
      return i == parts.size() - 1 ? attrs : Optional.empty();
    }
    try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, NOFOLLOW)) {
      return statIn(sub, parts, i + 1);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void deleteIn(SecureDirectoryStream<Path> dir, List<String> parts, int i)
      throws IOException {
    Path name = Path.of(parts.get(i));
    if (i < parts.size() - 1) {
      if (!isDirectory(dir, name)) {
        return;
      }
      try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, NOFOLLOW)) {
        deleteIn(sub, parts, i + 1);
      }
      return;
    }
    deleteEntry(dir, name, 0);
  }

  /** Removes {@code name} from {@code dir}: a folder with its contents, anything else unlinked. */
  private static void deleteEntry(SecureDirectoryStream<Path> dir, Path name, int depth)
      throws IOException {
    if (!isDirectory(dir, name)) {
      unlink(dir, name);
      return;
    }
    if (depth > 64) {
      throw new IOException("folders nested deeper than 64 levels at " + name);
    }
    try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, NOFOLLOW)) {
      List<Path> entries = new ArrayList<>();
      sub.forEach(p -> entries.add(p.getFileName()));
      for (Path entry : entries) {
        deleteEntry(sub, entry, depth + 1);
      }
    } catch (NoSuchFileException e) {
      return;
    }
    try {
      dir.deleteDirectory(name);
    } catch (NoSuchFileException | java.nio.file.DirectoryNotEmptyException e) {
      // Gone already, or filled again since it was emptied.
    }
  }

  private static void unlink(SecureDirectoryStream<Path> dir, Path name) throws IOException {
    try {
      dir.deleteFile(name);
    } catch (NoSuchFileException e) {
      // Gone already.
    } catch (java.nio.file.FileSystemException e) {
      // Replaced by a folder since it was looked at: not ours to remove now.
      if (!isDirectory(dir, name)) {
        throw e;
      }
    }
  }

  private static boolean isDirectory(SecureDirectoryStream<Path> dir, Path name)
      throws IOException {
    return attributes(dir, name).map(BasicFileAttributes::isDirectory).orElse(false);
  }

  private static Optional<BasicFileAttributes> attributes(
      SecureDirectoryStream<Path> dir, Path name) throws IOException {
    try {
      return Optional.of(
          dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW).readAttributes());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  private static byte[] readAtMost(SeekableByteChannel in, long max) throws IOException {
    int cap = (int) Math.min(max, Integer.MAX_VALUE - 8);
    ByteBuffer buf = ByteBuffer.allocate(Math.min(cap, 64 * 1024));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    while (out.size() < cap) {
      buf.clear();
      buf.limit(Math.min(buf.capacity(), cap - out.size()));
      int n = in.read(buf);
      if (n < 0) {
        break;
      }
      out.write(buf.array(), 0, n);
    }
    return out.toByteArray();
  }

  private static SecureDirectoryStream<Path> secure(DirectoryStream<Path> stream, Path base) {
    if (stream instanceof SecureDirectoryStream<Path> s) {
      return s;
    }
    throw new UnsupportedOperationException(
        "this platform cannot read " + base + " through directory handles (Linux can)");
  }

  private static List<String> components(String relative) {
    List<String> parts = new ArrayList<>();
    for (String p : relative.split("/", -1)) {
      if (p.isEmpty() || p.equals(".") || p.equals("..")) {
        return List.of();
      }
      parts.add(p);
    }
    return parts;
  }
}
