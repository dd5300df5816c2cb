package io.agentledger.analyzer.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/** A local HTTP receiver (JDK HttpServer) that records every request and answers a set status. */
final class Receiver implements AutoCloseable {

  /** One request as received, with the status it was answered. */
  record Request(String path, Map<String, List<String>> headers, byte[] body, int answered) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse("");
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  Receiver(IntSupplier status) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          int answer = status.getAsInt();
          requests.add(
              new Request(
                  exchange.getRequestURI().getPath(),
                  Map.copyOf(exchange.getRequestHeaders()),
                  body,
                  answer));
          byte[] reply = (answer < 300 ? "ok" : "failing").getBytes();
          exchange.sendResponseHeaders(answer, reply.length);
          exchange.getResponseBody().write(reply);
          exchange.close();
        });
    server.start();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  List<Request> accepted() {
    return requests.stream().filter(r -> r.answered() < 300).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
