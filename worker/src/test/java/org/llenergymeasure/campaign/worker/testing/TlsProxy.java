package org.llenergymeasure.campaign.worker.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS-terminating TCP proxy on 127.0.0.1 in front of a plain server (a Temporal dev server): the
 * client's TLS handshake is real (the server certificate of a key store, ALPN h2 as gRPC needs),
 * the bytes behind it go to the target unchanged.
 */
public final class TlsProxy implements AutoCloseable {

  private final SSLServerSocket socket;
  private final int targetPort;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "tls-proxy");
            t.setDaemon(true);
            return t;
          });
  private final AtomicInteger handshakes = new AtomicInteger();
  private final AtomicInteger failedHandshakes = new AtomicInteger();

  public TlsProxy(Path keyStore, String password, int targetPort) throws Exception {
    this.targetPort = targetPort;
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, password.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, password.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    socket =
        (SSLServerSocket)
            tls.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  public int port() {
    return socket.getLocalPort();
  }

  public String address() {
    return "127.0.0.1:" + port();
  }

  /** Handshakes that succeeded: connections that really went through TLS. */
  public int handshakes() {
    return handshakes.get();
  }

  /** Handshakes the client broke off (it did not trust the certificate) or that failed. */
  public int failedHandshakes() {
    return failedHandshakes.get();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        SSLSocket client = (SSLSocket) socket.accept();
        threads.execute(() -> serve(client));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(SSLSocket client) {
    try {
      SSLParameters params = client.getSSLParameters();
      params.setApplicationProtocols(new String[] {"h2"});
      client.setSSLParameters(params);
      client.startHandshake();
    } catch (IOException e) {
      failedHandshakes.incrementAndGet();
      closeQuietly(client);
      return;
    }
    handshakes.incrementAndGet();
    try {
      Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
      threads.execute(() -> pump(client, target));
      threads.execute(() -> pump(target, client));
    } catch (IOException e) {
      closeQuietly(client);
    }
  }

  private static void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16384];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException ended) {
      // one side closed; close both below
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    threads.shutdownNow();
  }
}
